package dev.portcullis.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real Redis. Before the class runs, {@link RedisTestSupport#redisUrl()} finds one
 * or fails the class (never skips it), and a {@link org.springframework.data.redis.core.ReactiveStringRedisTemplate}
 * parameter of a constructor or method is resolved to a template on it, shared by the whole run.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RedisTestSupport.Extension.class)
public @interface RequiresRedis {

}
