package dev.portcullis.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs a real MariaDB. Before the class runs, {@link MariaDbTestSupport#adminUrl()} finds
 * or starts one, or fails the class (never skips it), and a {@link MariaDbTestSupport.TestDatabase} parameter is
 * resolved to a new, empty database with an account of its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(MariaDbTestSupport.Extension.class)
public @interface RequiresMariaDb {

}
