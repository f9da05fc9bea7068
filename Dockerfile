# Portcullis container image: built with the Maven wrapper, run on a slim JRE as a non-root user.
# The root filesystem can be mounted read-only: the JVM only writes to /tmp (mount an emptyDir or tmpfs there).
#   docker build -t portcullis/portcullis:0.1.0 .
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -ntp -q dependency:go-offline
COPY src src
RUN ./mvnw -B -ntp -q -DskipTests package \
 && cp "$(ls target/portcullis-*.jar | grep -v original)" /portcullis.jar \
 && java -Djarmode=tools -jar /portcullis.jar extract --layers --launcher --destination /extracted

FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 portcullis && useradd --system --uid 10001 --gid portcullis --no-create-home portcullis
WORKDIR /app
# layers from least to most often changed, so that a rebuild reuses the dependency layers
COPY --from=build /extracted/dependencies/ ./
COPY --from=build /extracted/spring-boot-loader/ ./
COPY --from=build /extracted/snapshot-dependencies/ ./
COPY --from=build /extracted/application/ ./
USER 10001:10001
# 8081: health and metrics (management.server.port), for probes and scrapes, never for the public
EXPOSE 8080 8081
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
