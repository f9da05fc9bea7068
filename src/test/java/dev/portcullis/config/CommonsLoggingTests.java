package dev.portcullis.config;

import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring's log lines (commons-logging) cost nothing at a disabled level, and still reach Logback at an enabled one. */
class CommonsLoggingTests {

	@Test
	void debugWhenDebugDisabledThenMessageNeverRendered() {
		Log log = LogFactory.getLog("dev.portcullis.config.CommonsLoggingTests.disabled");
		assertThat(log.isDebugEnabled()).isFalse();
		AtomicInteger renderings = new AtomicInteger();

		log.debug(new Object() {

			@Override
			public String toString() {
				renderings.incrementAndGet();
				return "rendered";
			}

		});

		assertThat(renderings).hasValue(0);
	}

	@Test
	void warnWhenEnabledThenReachesLogback() {
		String name = "dev.portcullis.config.CommonsLoggingTests.enabled";
		Logger logback = (Logger) LoggerFactory.getLogger(name);
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.start();
		logback.addAppender(appender);
		try {
			LogFactory.getLog(name).warn("through to Logback");
		}
		finally {
			logback.detachAppender(appender);
		}

		assertThat(appender.list).singleElement()
			.satisfies((event) -> assertThat(event.getFormattedMessage()).isEqualTo("through to Logback"));
	}

}
