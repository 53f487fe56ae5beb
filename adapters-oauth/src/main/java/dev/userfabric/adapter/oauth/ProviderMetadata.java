package dev.userfabric.adapter.oauth;

import java.net.URI;

/** The parts of an OpenID provider's discovery document we use. */
record ProviderMetadata(URI issuer, URI jwksUri, URI userinfoEndpoint) {}
