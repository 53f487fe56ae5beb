package dev.userfabric.application.wiring;

import dev.userfabric.adapter.cache.RedisConnector;
import dev.userfabric.adapter.event.EventTopology;
import dev.userfabric.adapter.rpc.GrpcCallerBudget;
import dev.userfabric.adapter.event.InProcessUserEventQueue;
import dev.userfabric.adapter.event.RabbitConnection;
import dev.userfabric.adapter.event.RabbitSettings;
import dev.userfabric.adapter.event.RabbitSettings.ConsumerRetry;
import dev.userfabric.adapter.event.RabbitSettings.QueueType;
import dev.userfabric.adapter.event.RabbitUserEventPublisher;
import dev.userfabric.adapter.event.UserEventConsumer;
import dev.userfabric.adapter.event.RabbitSettings.EventLog;
import dev.userfabric.application.config.ServerUris;
import dev.userfabric.application.config.RabbitConfig;
import dev.userfabric.domain.port.in.ApplyUserEventUseCase;
import java.util.Optional;
import dev.userfabric.domain.port.out.UserEventPublisher;
import dev.userfabric.adapter.event.QueueDepths;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * RabbitMQ (publisher and event driver) when {@code userfabric.rabbitmq.uri} is set, otherwise an
 * in-process queue that runs the same driver.
 */
@Factory
public class EventFactory {

  @Singleton
  @Requires(property = "userfabric.rabbitmq.uri")
  @Bean(preDestroy = "close")
  RabbitConnection rabbitConnection(RabbitConfig config, MeterRegistry registry) {
    // with the client's own metrics; StartupReadiness waits for the connection
    return RabbitConnection.openInBackground(settings(config), registry);
  }

  /** The driver queue's and the DLQ's depth and consumers, every 15 s. */
  @Context
  @Requires(property = "userfabric.rabbitmq.uri")
  @Bean(preDestroy = "close")
  QueueDepths queueDepths(RabbitConnection connection, MeterRegistry registry) {
    return new QueueDepths(connection, registry, java.time.Duration.ofSeconds(15));
  }

  @Singleton
  @Requires(property = "userfabric.rabbitmq.uri")
  Dependency rabbitDependency(RabbitConnection connection) {
    return new Dependency("rabbitmq", connection::isReady);
  }

  @Singleton
  @Requires(property = "userfabric.rabbitmq.uri")
  @Bean(preDestroy = "close")
  RabbitUserEventPublisher rabbitUserEventPublisher(RabbitConnection connection, MeterRegistry registry,
      OpenTelemetry openTelemetry, GrpcCallerBudget callerBudget) {
    return new RabbitUserEventPublisher(connection, registry, openTelemetry, callerBudget);
  }

  @Context
  @Requires(property = "userfabric.rabbitmq.uri")
  @Bean(preDestroy = "close")
  UserEventConsumer userEventConsumer(RabbitConnection connection, ApplyUserEventUseCase useCase,
      MeterRegistry registry, OpenTelemetry openTelemetry, Optional<RedisConnector> store) {
    UserEventConsumer consumer = new UserEventConsumer(connection, useCase, registry, openTelemetry);
    // Not before the store can take the writes: every delivery taken earlier would wait out a
    // retry pause, and say so in the log.
    store.ifPresentOrElse(redis -> redis.whenConnected(consumer::start), consumer::start);
    return consumer;
  }

  @Singleton
  @Requires(missingProperty = "userfabric.rabbitmq.uri")
  @Bean(preDestroy = "close")
  InProcessUserEventQueue inProcessUserEventQueue(ApplyUserEventUseCase useCase) {
    return new InProcessUserEventQueue(useCase, 10_000);
  }

  private static RabbitSettings settings(RabbitConfig config) {
    QueueType queueType;
    try {
      queueType = QueueType.valueOf(config.queueType().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("userfabric.rabbitmq.queue-type must be quorum or classic, not "
          + config.queueType());
    }
    ConsumerRetry retry;
    try {
      retry = new ConsumerRetry(config.retryFirstPause(), config.retryMaxPause(), config.maxAttempts(),
          config.deliveryLimit());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("invalid userfabric.rabbitmq.retry-* or delivery-limit: " + e.getMessage(), e);
    }
    EventLog log;
    try {
      log = new EventLog(config.logEnabled(), Optional.ofNullable(config.logMaxAge()),
          Optional.ofNullable(config.logMaxBytes()));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("invalid userfabric.rabbitmq.log-*: " + e.getMessage(), e);
    }
    try {
      return new RabbitSettings(ServerUris.rabbitmq(config.uri()), EventTopology.withPrefix(config.namePrefix()),
          queueType, config.confirmTimeout(), config.maxInFlightPublishes(), config.consumers(), config.prefetch(),
          retry, log);
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("invalid userfabric.rabbitmq.*: " + e.getMessage(), e);
    }
  }
}
