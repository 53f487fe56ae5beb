# Userfabric: the packaged service on a JRE, as a non-root user, with the JDK's ahead-of-time cache
# trained inside the image (a cache only works on the JVM build that made it).
#   docker build -t userfabric:0.1.0 .
#   docker run -p 50051:50051 -p 9090:9090 -e USERFABRIC_REDIS_URI=... userfabric:0.1.0
# The same image runs the gRPC replicas and the event drivers (see deploy/kubernetes).

FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
COPY . .
# Tests need Redis and RabbitMQ: they run in CI (./test.sh), not in the image build.
RUN mvn -B -q -DskipTests -Daot.skip=true package

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 userfabric \
 && useradd --system --uid 10001 --gid userfabric --home-dir /app --shell /usr/sbin/nologin userfabric
WORKDIR /app
COPY --from=build /src/application/target/userfabric.jar /app/userfabric.jar
COPY --from=build /src/application/target/lib/ /app/lib/
COPY --from=build /src/application/jvm.options /app/jvm.options
# application/jvm.options without its comments, as a java @argument file.
RUN grep -v -e '^#' -e '^$' /app/jvm.options > /app/jvm.args \
 && java @/app/jvm.args -XX:AOTCacheOutput=/app/userfabric.aot -jar /app/userfabric.jar start-dev \
      --userfabric.training-run=true --grpc.server.port=0 --userfabric.oauth.dev-issuer-port=0 \
      --micronaut.server.port=-1 \
 && chown -R userfabric:userfabric /app
USER 10001:10001
# gRPC, and the management port (probes, /prometheus)
EXPOSE 50051 9090
ENTRYPOINT ["java", "@/app/jvm.args", "-XX:AOTCache=/app/userfabric.aot", "-jar", "/app/userfabric.jar"]
CMD ["start"]
