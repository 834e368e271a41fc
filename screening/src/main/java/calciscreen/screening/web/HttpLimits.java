package calciscreen.screening.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * What every endpoint of this service shares: the request body limit ({@code calciscreen.http} in application.yaml) and
 * the security headers.
 */
@Configuration
@EnableConfigurationProperties(HttpLimits.Properties.class)
public class HttpLimits {

    /** @param maxRequestSize the largest request body read (a CDS call with its prefetch, a notification) */
    @ConfigurationProperties(prefix = "calciscreen.http", ignoreUnknownFields = false)
    public record Properties(@DefaultValue("10MB") DataSize maxRequestSize) {}

    @Bean
    public FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(Properties properties) {
        FilterRegistrationBean<RequestBodyLimit> registration =
                new FilterRegistrationBean<>(new RequestBodyLimit(properties.maxRequestSize().toBytes()));
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** First of all, so that even a refusal for size carries them. */
    @Bean
    public FilterRegistrationBean<SecurityHeaders> securityHeaders() {
        FilterRegistrationBean<SecurityHeaders> registration = new FilterRegistrationBean<>(new SecurityHeaders());
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
