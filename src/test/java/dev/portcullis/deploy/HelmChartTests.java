package dev.portcullis.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for the Helm chart in {@code helm/portcullis}: lints it strictly and renders it with several value sets
 * through helm-java (Helm's own Go code as a native library, so no {@code helm} CLI and no cluster), asserting on
 * the rendered manifests and on the values the chart must refuse.
 */
class HelmChartTests {

	private static final Path CHART_SOURCE = Path.of("helm", "portcullis");

	private static final String RELEASE = "gw";

	private static final String FULLNAME = "gw-portcullis";

	/** helm-java otherwise assumes Kubernetes 1.20, below the chart's kubeVersion (>=1.30). */
	private static final String KUBE_VERSION = "v1.31.0";

	private static final String REDIS_URL = "redis://:s3cret@redis-master.data.svc:6379";

	private static final AtomicInteger valuesFiles = new AtomicInteger();

	@TempDir
	static Path workDir;

	private static Path chart;

	private static String signingKey;

	@BeforeAll
	static void copyChartAndGenerateKey() throws IOException, NoSuchAlgorithmException {
		// Helm may write into the chart directory (e.g. charts/), so work on a copy, never on the sources
		chart = workDir.resolve("portcullis");
		FileSystemUtils.copyRecursively(CHART_SOURCE, chart);
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
		signingKey = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
	}

	@Test
	void lintWhenStrictThenPasses() {
		// in lint mode Helm turns `required` and `fail` into INFO messages, so the defaults lint without a key
		LintResult result = new Helm(chart).lint().strict().call();

		assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
		assertThat(result.getMessages()).noneMatch((message) -> message.contains("[ERROR]")
				|| message.contains("[WARNING]"));
	}

	@Test
	void templateWhenDefaultsThenDeploymentWithTwoReplicasAndRollingUpdate() {
		Manifests manifests = render(baseValues());

		Map<String, Object> deployment = manifests.single("Deployment");
		assertThat(at(deployment, "metadata.name")).isEqualTo(FULLNAME);
		assertThat(at(deployment, "spec.replicas")).isEqualTo(2);
		assertThat(at(deployment, "spec.strategy.type")).isEqualTo("RollingUpdate");
		assertThat(at(deployment, "spec.strategy.rollingUpdate.maxUnavailable")).isEqualTo(0);
		assertThat(at(deployment, "spec.strategy.rollingUpdate.maxSurge")).isEqualTo(1);
		assertThat(at(container(deployment), "image")).isEqualTo("portcullis/portcullis:0.1.0");
		assertThat(mapAt(deployment, "spec.template.metadata.annotations")).containsKeys("checksum/config", "checksum/secret");
	}

	@Test
	void templateWhenDefaultsThenProbesOnActuatorHealthGroups() {
		Map<String, Object> container = container(render(baseValues()).single("Deployment"));

		assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
		assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		// health and metrics on the management port, which the ingress never routes (issue 11)
		assertThat(at(container, "livenessProbe.httpGet.port")).isEqualTo("management");
		assertThat(at(container, "readinessProbe.httpGet.port")).isEqualTo("management");
		assertThat(at(container, "ports.0.containerPort")).isEqualTo(8080);
		assertThat(at(container, "ports.1.name")).isEqualTo("management");
		assertThat(at(container, "ports.1.containerPort")).isEqualTo(8081);
	}

	@Test
	void templateWhenDefaultsThenTrustedProxiesAreThePrivateRanges() {
		Map<String, Object> configMap = render(baseValues()).single("ConfigMap");

		assertThat(at(configMap, "data.PORTCULLIS_TRUSTED_PROXIES"))
			.isEqualTo("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,fc00::/7");
	}

	@Test
	void templateWhenIssuerUriAndAcceptedIssuersThenTheConfigMapCarriesThemAndByDefaultNeither() {
		assertThat(mapAt(render(baseValues()).single("ConfigMap"), "data")).doesNotContainKeys("PORTCULLIS_ISSUER_URI",
				"PORTCULLIS_ACCEPTED_ISSUERS");
		Map<String, Object> values = baseValues();
		values.put("config", Map.of("issuerUri", "https://crm-gateway.example.com", "acceptedIssuers",
				List.of("https://old-gateway.example.com", "portcullis-old")));

		Map<String, Object> settings = mapAt(render(values).single("ConfigMap"), "data");

		assertThat(settings).containsEntry("PORTCULLIS_ISSUER_URI", "https://crm-gateway.example.com")
			.containsEntry("PORTCULLIS_ACCEPTED_ISSUERS", "https://old-gateway.example.com,portcullis-old");
	}

	@Test
	void templateWhenOtlpEndpointThenTheConfigMapTurnsTracingOnWithItsSamplingAndByDefaultNeither() {
		assertThat(mapAt(render(baseValues()).single("ConfigMap"), "data")).doesNotContainKeys(
				"MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT", "MANAGEMENT_TRACING_SAMPLING_PROBABILITY");
		Map<String, Object> values = baseValues();
		values.put("tracing", Map.of("otlpEndpoint", "http://otel-collector.observability.svc:4318/v1/traces",
				"samplingProbability", 0.25));

		Map<String, Object> settings = mapAt(render(values).single("ConfigMap"), "data");

		assertThat(settings)
			.containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
					"http://otel-collector.observability.svc:4318/v1/traces")
			.containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0.25");
	}

	@Test
	void templateWhenDefaultsThenResourcesAndRestrictiveSecurityContext() {
		Map<String, Object> deployment = render(baseValues()).single("Deployment");
		Map<String, Object> container = container(deployment);

		assertThat(at(container, "resources.requests.memory")).isEqualTo("512Mi");
		assertThat(at(container, "resources.requests.cpu")).isEqualTo("500m");
		assertThat(at(container, "resources.limits.memory")).isEqualTo("768Mi");
		assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
		assertThat(at(container, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
		assertThat(at(deployment, "spec.template.spec.securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat(at(deployment, "spec.template.spec.securityContext.seccompProfile.type"))
			.isEqualTo("RuntimeDefault");
		assertThat(at(deployment, "spec.template.spec.automountServiceAccountToken")).isEqualTo(false);
		// a writable /tmp, the only one, since the root filesystem is read-only
		assertThat(at(container, "volumeMounts.0.mountPath")).isEqualTo("/tmp");
		assertThat(at(deployment, "spec.template.spec.volumes.0.emptyDir")).isNotNull();
		// graceful shutdown (30 s) plus the preStop sleep (5 s) fit in the grace period
		assertThat(at(deployment, "spec.template.spec.terminationGracePeriodSeconds")).isEqualTo(45);
		assertThat(at(container, "lifecycle.preStop.sleep.seconds")).isEqualTo(5);
		assertThat(at(deployment, "spec.template.spec.topologySpreadConstraints.0.topologyKey"))
			.isEqualTo("kubernetes.io/hostname");
	}

	@Test
	void templateWhenDefaultsThenSigningKeyAndRedisUrlComeFromTheChartSecret() {
		Manifests manifests = render(baseValues());

		Map<String, Object> secret = manifests.single("Secret");
		assertThat(at(secret, "metadata.name")).isEqualTo(FULLNAME);
		assertThat(decoded(secret, "signing-private-key")).isEqualTo(signingKey);
		assertThat(decoded(secret, "redis-url")).isEqualTo(REDIS_URL);
		Map<String, Object> container = container(manifests.single("Deployment"));
		assertThat(secretRef(container, "PORTCULLIS_SIGNING_PRIVATE_KEY"))
			.isEqualTo(Map.of("name", FULLNAME, "key", "signing-private-key"));
		assertThat(secretRef(container, "SPRING_DATA_REDIS_URL"))
			.isEqualTo(Map.of("name", FULLNAME, "key", "redis-url"));
		assertThat(at(container, "envFrom.0.configMapRef.name")).isEqualTo(FULLNAME);
		Map<String, Object> settings = mapAt(manifests.single("ConfigMap"), "data");
		assertThat(settings).containsEntry("PORTCULLIS_STORE", "redis")
			.containsEntry("SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE", "30s")
			.containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION", "optional:file:/etc/portcullis/config/")
			.doesNotContainKeys("PORTCULLIS_UPSTREAM_URI", "SPRING_DATA_REDIS_SENTINEL_MASTER");
	}

	@Test
	void templateWhenEncryptionKeyAndRotationScheduleThenKeysKeptInRedisAndRotatedOnSchedule() {
		String encryptionKey = Base64.getEncoder().encodeToString(new byte[32]);
		Map<String, Object> values = values("secrets", Map.of("encryptionKey", encryptionKey), "redis",
				Map.of("url", REDIS_URL), "config", Map.of("signingRotationInterval", "P30D"));

		Manifests manifests = render(values);

		Map<String, Object> secret = manifests.single("Secret");
		assertThat(decoded(secret, "encryption-key")).isEqualTo(encryptionKey);
		assertThat(mapAt(secret, "data")).doesNotContainKey("signing-private-key");
		Map<String, Object> container = container(manifests.single("Deployment"));
		assertThat(secretRef(container, "PORTCULLIS_SECRETS_ENCRYPTION_KEY"))
			.isEqualTo(Map.of("name", FULLNAME, "key", "encryption-key"));
		assertThat(env(container)).doesNotContainKey("PORTCULLIS_SIGNING_PRIVATE_KEY");
		assertThat(mapAt(manifests.single("ConfigMap"), "data")).containsEntry("PORTCULLIS_SIGNING_ROTATION_INTERVAL",
				"P30D");
	}

	@Test
	void templateWhenDefaultsThenNoRotationScheduleAndNoEncryptionKey() {
		Manifests manifests = render(baseValues());

		assertThat(mapAt(manifests.single("ConfigMap"), "data")).doesNotContainKey("PORTCULLIS_SIGNING_ROTATION_INTERVAL");
		assertThat(env(container(manifests.single("Deployment")))).doesNotContainKey("PORTCULLIS_SECRETS_ENCRYPTION_KEY");
	}

	@Test
	void templateWhenDefaultsThenServiceAndPodDisruptionBudgetButNoOptionalResources() {
		Manifests manifests = render(baseValues());

		assertThat(at(manifests.single("Service"), "spec.ports.0.targetPort")).isEqualTo("http");
		assertThat(at(manifests.single("PodDisruptionBudget"), "spec.maxUnavailable")).isEqualTo(1);
		assertThat(at(manifests.single("PodDisruptionBudget"), "spec.selector.matchLabels"))
			.isEqualTo(at(manifests.single("Deployment"), "spec.selector.matchLabels"));
		assertThat(manifests.kinds()).doesNotContain("HorizontalPodAutoscaler", "ServiceMonitor", "Ingress");
	}

	@Test
	void templateWhenExistingSecretThenNoSecretAndEverySecretValueReadFromIt() {
		Map<String, Object> values = values("secrets", Map.of("existingSecret", "portcullis-keys"), "bootstrapAdmin",
				Map.of("enabled", true, "username", "root"));

		Manifests manifests = render(values);

		assertThat(manifests.kinds()).doesNotContain("Secret");
		Map<String, Object> deployment = manifests.single("Deployment");
		Map<String, Object> container = container(deployment);
		assertThat(secretRef(container, "PORTCULLIS_SIGNING_PRIVATE_KEY"))
			.isEqualTo(Map.of("name", "portcullis-keys", "key", "signing-private-key"));
		assertThat(secretRef(container, "SPRING_DATA_REDIS_URL"))
			.isEqualTo(Map.of("name", "portcullis-keys", "key", "redis-url"));
		assertThat(secretRef(container, "PORTCULLIS_SECRETS_ENCRYPTION_KEY"))
			.isEqualTo(Map.of("name", "portcullis-keys", "key", "encryption-key"));
		assertThat(secretRef(container, "PORTCULLIS_BOOTSTRAP_USERS_0_PASSWORD"))
			.isEqualTo(Map.of("name", "portcullis-keys", "key", "bootstrap-admin-password"));
		assertThat(mapAt(manifests.single("ConfigMap"), "data"))
			.containsEntry("PORTCULLIS_BOOTSTRAP_USERS_0_USERNAME", "root")
			.containsEntry("PORTCULLIS_BOOTSTRAP_USERS_0_ADMIN", "true");
		assertThat(mapAt(deployment, "spec.template.metadata.annotations")).doesNotContainKey("checksum/secret");
	}

	@Test
	void templateWhenBootstrapAdminThenPasswordInTheChartSecret() {
		Map<String, Object> values = baseValues();
		values.put("bootstrapAdmin", Map.of("enabled", true, "password", "Adm1n-pass"));

		Manifests manifests = render(values);

		assertThat(decoded(manifests.single("Secret"), "bootstrap-admin-password")).isEqualTo("Adm1n-pass");
		assertThat(secretRef(container(manifests.single("Deployment")), "PORTCULLIS_BOOTSTRAP_USERS_0_PASSWORD"))
			.isEqualTo(Map.of("name", FULLNAME, "key", "bootstrap-admin-password"));
		assertThat(at(manifests.single("ConfigMap"), "data.PORTCULLIS_BOOTSTRAP_USERS_0_USERNAME"))
			.isEqualTo("admin");
	}

	@Test
	void templateWhenAutoscalingThenHorizontalPodAutoscalerOwnsTheReplicas() {
		Map<String, Object> values = baseValues();
		values.put("autoscaling", Map.of("enabled", true, "minReplicas", 3, "maxReplicas", 10));

		Manifests manifests = render(values);

		assertThat(mapAt(manifests.single("Deployment"), "spec")).doesNotContainKey("replicas");
		Map<String, Object> hpa = manifests.single("HorizontalPodAutoscaler");
		assertThat(at(hpa, "apiVersion")).isEqualTo("autoscaling/v2");
		assertThat(at(hpa, "spec.scaleTargetRef.name")).isEqualTo(FULLNAME);
		assertThat(at(hpa, "spec.minReplicas")).isEqualTo(3);
		assertThat(at(hpa, "spec.maxReplicas")).isEqualTo(10);
		assertThat(at(hpa, "spec.metrics.0.resource.target.averageUtilization")).isEqualTo(70);
	}

	@Test
	void templateWhenServiceMonitorAndIngressEnabledThenRendered() {
		Map<String, Object> values = baseValues();
		values.put("serviceMonitor", Map.of("enabled", true, "labels", Map.of("release", "kube-prometheus")));
		values.put("ingress", Map.of("enabled", true, "className", "nginx", "hosts",
				List.of(Map.of("host", "auth.example.com", "paths", List.of(Map.of("path", "/")))), "tls",
				List.of(Map.of("secretName", "auth-tls", "hosts", List.of("auth.example.com")))));

		Manifests manifests = render(values);

		Map<String, Object> serviceMonitor = manifests.single("ServiceMonitor");
		assertThat(at(serviceMonitor, "spec.endpoints.0.path")).isEqualTo("/actuator/prometheus");
		assertThat(at(serviceMonitor, "spec.endpoints.0.port")).isEqualTo("management");
		assertThat(at(serviceMonitor, "metadata.labels.release")).isEqualTo("kube-prometheus");
		Map<String, Object> ingress = manifests.single("Ingress");
		assertThat(at(ingress, "spec.ingressClassName")).isEqualTo("nginx");
		assertThat(at(ingress, "spec.rules.0.host")).isEqualTo("auth.example.com");
		assertThat(at(ingress, "spec.rules.0.http.paths.0.pathType")).isEqualTo("Prefix");
		assertThat(at(ingress, "spec.rules.0.http.paths.0.backend.service.name")).isEqualTo(FULLNAME);
		assertThat(at(ingress, "spec.tls.0.secretName")).isEqualTo("auth-tls");
	}

	@Test
	void templateWhenSentinelThenSentinelSettingsAndNoRedisUrl() {
		Map<String, Object> values = values("secrets", Map.of("signingPrivateKey", signingKey), "redis",
				Map.of("sentinel", Map.of("enabled", true, "master", "portcullis", "nodes",
						List.of("sentinel-0.sentinel:26379", "sentinel-1.sentinel:26379"), "password", "r3dis")));

		Manifests manifests = render(values);

		Map<String, Object> settings = mapAt(manifests.single("ConfigMap"), "data");
		assertThat(settings).containsEntry("SPRING_DATA_REDIS_SENTINEL_MASTER", "portcullis")
			.containsEntry("SPRING_DATA_REDIS_SENTINEL_NODES", "sentinel-0.sentinel:26379,sentinel-1.sentinel:26379")
			// Sentinel sets neither spring.data.redis.url nor .host, which would otherwise select the memory store
			.containsEntry("PORTCULLIS_STORE", "redis");
		Map<String, Object> container = container(manifests.single("Deployment"));
		assertThat(env(container)).doesNotContainKey("SPRING_DATA_REDIS_URL");
		assertThat(secretRef(container, "SPRING_DATA_REDIS_PASSWORD"))
			.isEqualTo(Map.of("name", FULLNAME, "key", "redis-password"));
		assertThat(mapAt(manifests.single("Secret"), "data")).doesNotContainKey("redis-url");
	}

	@Test
	void templateWhenUpstreamAndRoutesThenConfigMapCarriesThem() {
		Map<String, Object> values = baseValues();
		values.put("config", Map.of("upstreamUri", "http://suitecrm.crm.svc", "application",
				Map.of("portcullis", Map.of("tokens", Map.of("access-token-ttl", "15m")))));
		values.put("routes", List.of(Map.of("id", "crm-reports", "uri", "http://reports.crm.svc", "predicates",
				List.of("Path=/Api/reports/**"), "filters", List.of("RequireScopes=reports.read"))));

		Manifests manifests = render(values);

		Map<String, Object> settings = mapAt(manifests.single("ConfigMap"), "data");
		assertThat(settings).containsEntry("PORTCULLIS_UPSTREAM_URI", "http://suitecrm.crm.svc");
		Map<String, Object> application = new Yaml().load((String) settings.get("application.yaml"));
		assertThat(at(application, "spring.cloud.gateway.server.webflux.routes.0.id")).isEqualTo("crm-reports");
		assertThat(at(application, "spring.cloud.gateway.server.webflux.routes.0.predicates"))
			.isEqualTo(List.of("Path=/Api/reports/**"));
		assertThat(at(application, "portcullis.tokens.access-token-ttl")).isEqualTo("15m");
		Map<String, Object> container = container(manifests.single("Deployment"));
		assertThat(at(container, "volumeMounts.1.mountPath")).isEqualTo("/etc/portcullis/config");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badValues")
	void templateWhenBadValuesThenFails(String description, Map<String, Object> values, String expectedMessage) {
		assertThatException().isThrownBy(() -> render(values)).withMessageContaining(expectedMessage);
	}

	static Stream<Arguments> badValues() {
		return Stream.of(bad("replicaCount 0", "replicaCount", 0, "'/replicaCount': minimum"),
				bad("upstream not a URI", "config", Map.of("upstreamUri", "suitecrm.internal"),
						"'/config/upstreamUri'"),
				bad("issuer URI with a path", "config", Map.of("issuerUri", "https://gateway.example/crm"),
						"'/config/issuerUri'"),
				bad("OTLP endpoint not a URL", "tracing", Map.of("otlpEndpoint", "otel-collector:4318"),
						"'/tracing/otlpEndpoint'"),
				bad("sampling probability above 1", "tracing", Map.of("samplingProbability", 10),
						"'/tracing/samplingProbability'"),
				bad("redis URL not a redis:// URL", "redis", Map.of("url", "redis-master:6379"), "'/redis/url'"),
				bad("unknown value (a typo)", "replicaCuont", 3, "'replicaCuont' not allowed"),
				bad("signing key not PEM", "secrets", Map.of("signingPrivateKey", "not a key"),
						"'/secrets/signingPrivateKey'"),
				bad("grace period shorter than the shutdown", "terminationGracePeriodSeconds", 20,
						"terminationGracePeriodSeconds (20) must be greater"),
				bad("bootstrap admin without password", "bootstrapAdmin", Map.of("enabled", true),
						"bootstrapAdmin.password is required"),
				Arguments.of("missing signing key without existingSecret", values("redis", Map.of("url", REDIS_URL)),
						"secrets.signingPrivateKey is required"),
				bad("encryption key not 32 bytes of Base64", "secrets", Map.of("encryptionKey", "c2hvcnQ="),
						"'/secrets/encryptionKey'"),
				bad("rotation interval not ISO-8601", "config", Map.of("signingRotationInterval", "30 days"),
						"'/config/signingRotationInterval'"),
				bad("rotation schedule with a configured key", "config", Map.of("signingRotationInterval", "P30D"),
						"config.signingRotationInterval rotates keys kept in Redis"),
				Arguments.of("no Redis URL", values("secrets", Map.of("signingPrivateKey", signingKeyForBadValues())),
						"redis.url is required"),
				Arguments.of("Sentinel without nodes", values("secrets",
						Map.of("signingPrivateKey", signingKeyForBadValues()), "redis",
						Map.of("sentinel", Map.of("enabled", true))), "redis.sentinel.nodes"));
	}

	/** The base values with one value replaced. */
	private static Arguments bad(String description, String key, Object value, String expectedMessage) {
		Map<String, Object> values = baseValues();
		values.put(key, value);
		return Arguments.of(description, values, expectedMessage);
	}

	/** A syntactically fine key: the method source runs before {@link #copyChartAndGenerateKey()}. */
	private static String signingKeyForBadValues() {
		return "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n";
	}

	/** What every installation needs: a signing key and Redis. */
	private static Map<String, Object> baseValues() {
		String key = (signingKey != null) ? signingKey : signingKeyForBadValues();
		return values("secrets", Map.of("signingPrivateKey", key), "redis", Map.of("url", REDIS_URL));
	}

	private static Map<String, Object> values(Object... keysAndValues) {
		Map<String, Object> values = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			values.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return values;
	}

	/** Renders the chart like {@code helm template gw helm/portcullis -n auth --kube-version 1.31 -f values.yaml}. */
	private static Manifests render(Map<String, Object> values) {
		Path valuesFile = workDir.resolve("values-" + valuesFiles.incrementAndGet() + ".yaml");
		try {
			Files.writeString(valuesFile, new Yaml().dump(values));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String output = new Helm(chart).template()
			.withName(RELEASE)
			.withNamespace("auth")
			.withKubeVersion(KUBE_VERSION)
			.withValuesFile(valuesFile)
			.call();
		return Manifests.parse(output);
	}

	private static Map<String, Object> container(Map<String, Object> deployment) {
		return mapAt(deployment, "spec.template.spec.containers.0");
	}

	/** The container's environment as name to EnvVar. */
	private static Map<String, Map<String, Object>> env(Map<String, Object> container) {
		Map<String, Map<String, Object>> env = new LinkedHashMap<>();
		for (Object var : (List<?>) at(container, "env")) {
			env.put((String) at(var, "name"), asMap(var));
		}
		return env;
	}

	/** The name and key of the Secret an environment variable is read from. */
	private static Map<String, Object> secretRef(Map<String, Object> container, String name) {
		Map<String, Object> var = env(container).get(name);
		assertThat(var).as("env %s", name).isNotNull();
		Map<String, Object> ref = new LinkedHashMap<>(mapAt(var, "valueFrom.secretKeyRef"));
		ref.remove("optional");
		return ref;
	}

	private static String decoded(Map<String, Object> secret, String key) {
		String value = (String) at(secret, "data." + key);
		assertThat(value).as("Secret key %s", key).isNotNull();
		return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
	}

	/**
	 * The node at a dotted path such as {@code spec.template.spec.containers.0.image}; numeric segments index lists.
	 * Null when a map lacks the key.
	 */
	private static Object at(Object node, String path) {
		Object current = node;
		for (String segment : path.split("\\.")) {
			if (current instanceof List<?> list) {
				current = list.get(Integer.parseInt(segment));
			}
			else if (current instanceof Map<?, ?> map) {
				current = map.get(segment);
			}
			else {
				return null;
			}
		}
		return current;
	}

	/** The map at a dotted path, see {@link #at(Object, String)}. */
	private static Map<String, Object> mapAt(Object node, String path) {
		return asMap(at(node, path));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> asMap(Object node) {
		return (Map<String, Object>) node;
	}

	/** The documents of {@code helm template}'s output, split on {@code ---}. */
	private record Manifests(List<Map<String, Object>> documents) {

		static Manifests parse(String output) {
			List<Map<String, Object>> documents = new ArrayList<>();
			for (String text : output.split("(?m)^---\\s*$")) {
				Map<String, Object> document = new Yaml().load(text);
				if (document != null) {
					documents.add(document);
				}
			}
			return new Manifests(documents);
		}

		List<String> kinds() {
			return this.documents.stream().map((document) -> (String) document.get("kind")).toList();
		}

		Map<String, Object> single(String kind) {
			List<Map<String, Object>> matching = this.documents.stream()
				.filter((document) -> kind.equals(document.get("kind")))
				.toList();
			assertThat(matching).as("%s documents among %s", kind, kinds()).hasSize(1);
			return matching.get(0);
		}

	}

}
