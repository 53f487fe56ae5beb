package dev.userfabric.adapter.event;

import com.rabbitmq.client.Address;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes {@code userfabric.rabbitmq.uri} names: one, as in any AMQP URI, or a cluster's nodes
 * separated by commas where the host goes, e.g. {@code amqp://user:pass@10.0.0.1:5672,10.0.0.2:5672,10.0.0.3/vhost}.
 * The client connects to one of them (in random order) and, after a lost connection, to any that
 * answers; credentials, virtual host and options are the URI's, for every node.
 *
 * @param uri the URI with the first node only, for the client's own parser
 * @param nodes every node, in the order given
 */
record AmqpNodes(String uri, List<Address> nodes) {

  static AmqpNodes of(String uri) {
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd < 0) {
      throw new IllegalArgumentException("an AMQP URI starts with amqp:// or amqps://");
    }
    boolean tls = uri.startsWith("amqps://");
    String rest = uri.substring(schemeEnd + 3);
    int pathStart = indexOfAny(rest, '/', '?');
    String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
    String tail = pathStart < 0 ? "" : rest.substring(pathStart);
    int at = authority.lastIndexOf('@');
    String credentials = authority.substring(0, at + 1);
    String hosts = authority.substring(at + 1);
    List<Address> nodes = new ArrayList<>();
    for (String host : hosts.split(",", -1)) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("an empty node in the list of RabbitMQ nodes");
      }
      nodes.add(Address.parseAddress(host.strip()));
    }
    if (nodes.size() == 1) {
      return new AmqpNodes(uri, List.of());
    }
    // The client's default port when a node names none, as its URI parser would choose.
    List<Address> withPorts = nodes.stream()
        .map(node -> node.getPort() > 0 ? node : new Address(node.getHost(), tls ? 5671 : 5672)).toList();
    return new AmqpNodes(uri.substring(0, schemeEnd + 3) + credentials + hosts.split(",")[0].strip() + tail, withPorts);
  }

  /** Whether the URI names several nodes (else the client connects to the URI's one host). */
  boolean isCluster() {
    return !nodes.isEmpty();
  }

  private static int indexOfAny(String text, char first, char second) {
    int a = text.indexOf(first);
    int b = text.indexOf(second);
    return a < 0 ? b : b < 0 ? a : Math.min(a, b);
  }
}
