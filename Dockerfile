# One build, three images: `docker build --target fhir-server .`, `--target screening`, `--target hl7v2-intake`.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY fhir-model/pom.xml fhir-model/
COPY test-support/pom.xml test-support/
COPY fhir-server/pom.xml fhir-server/
COPY screening/pom.xml screening/
COPY smart-client/pom.xml smart-client/
COPY hl7v2-intake/pom.xml hl7v2-intake/
RUN mvn -B -q -DskipTests dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre AS fhir-server
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 calciscreen && mkdir -p /data && chown calciscreen /data
USER calciscreen
WORKDIR /data
COPY --from=build /src/fhir-server/target/fhir-server-0.1.0-SNAPSHOT.jar /app/fhir-server.jar
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/fhir-server.jar"]

FROM eclipse-temurin:17-jre AS screening
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 calciscreen && mkdir -p /data && chown calciscreen /data
USER calciscreen
WORKDIR /data
COPY --from=build /src/screening/target/screening-0.1.0-SNAPSHOT-exec.jar /app/screening.jar
EXPOSE 8081
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/screening.jar"]

FROM eclipse-temurin:17-jre AS hl7v2-intake
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 calciscreen && mkdir -p /data && chown calciscreen /data
USER calciscreen
WORKDIR /data
COPY --from=build /src/hl7v2-intake/target/hl7v2-intake-0.1.0-SNAPSHOT-exec.jar /app/hl7v2-intake.jar
EXPOSE 2575 8082
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/hl7v2-intake.jar"]
