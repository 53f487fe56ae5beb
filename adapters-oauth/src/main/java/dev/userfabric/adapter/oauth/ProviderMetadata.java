package dev.userfabric.adapter.oauth;

import java.net.URI;
import java.util.Optional;

/** The endpoints of one provider we use: from its discovery document, or configured. */
record ProviderMetadata(
    Optional<URI> jwksUri, Optional<URI> userinfoEndpoint, Optional<URI> introspectionEndpoint) {}
