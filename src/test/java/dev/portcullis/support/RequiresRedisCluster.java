package dev.portcullis.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real 3-master Redis Cluster. Before the class runs,
 * {@link RedisClusterTestSupport#clusterNodes()} finds or starts one, or fails the class (never skips it), and a
 * {@link org.springframework.data.redis.core.ReactiveStringRedisTemplate} parameter is resolved to a template on the
 * cluster, shared by the whole run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RedisClusterTestSupport.Extension.class)
public @interface RequiresRedisCluster {

}
