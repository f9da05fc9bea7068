package dev.portcullis.config;

import dev.portcullis.web.BoundedElasticThymeleafView;
import org.thymeleaf.spring6.view.reactive.ThymeleafReactiveViewResolver;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTML pages: Spring Boot's Thymeleaf view resolver, whose views render off the event loop
 * ({@link BoundedElasticThymeleafView}). Boot maps its {@code spring.thymeleaf.*} settings onto the resolver and
 * offers no setting for the view class, hence a post-processor rather than a resolver of our own.
 */
@Configuration(proxyBeanMethods = false)
public class PageConfiguration {

	@Bean
	static BeanPostProcessor boundedElasticThymeleafViews() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof ThymeleafReactiveViewResolver resolver) {
					resolver.setViewClass(BoundedElasticThymeleafView.class);
				}
				return bean;
			}

		};
	}

}
