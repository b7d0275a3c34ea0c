# Images of the ChoralStorm services, for the multi-host deployment in docker-compose.yml.
#   target "services": the gateway and the cluster HTTP server (choose with the command)
#   target "topology": a Storm client holding the shaded topology jar, to submit it with storm jar
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre AS services
WORKDIR /app
COPY --from=build /src/local-stack/target/lib/ /app/lib/
COPY --from=build /src/config/ /app/config/
EXPOSE 8081 8082
ENTRYPOINT ["java", "-Xmx512m", "-cp", "/app/lib/*"]
CMD ["io.choralstorm.gateway.IngestGateway", "/app/config/gateway.properties"]

FROM storm:2.8 AS topology
COPY --from=build /src/topology/target/topology-0.1.0-SNAPSHOT-storm.jar /topology/choralstorm.jar
COPY --from=build /src/config/topology.properties /topology/topology.properties
