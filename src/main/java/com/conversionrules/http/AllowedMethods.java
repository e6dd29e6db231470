package com.conversionrules.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which methods each path takes, read from the router once it is built: what a 405 answer names in
 * its {@code Allow} header (RFC 9110 requires one) and in its message.
 */
final class AllowedMethods {
    private record Template(Pattern path, Set<String> methods) {
    }

    private final List<Template> templates;

    private AllowedMethods(List<Template> templates) {
        this.templates = templates;
    }

    static AllowedMethods of(Router router) {
        List<Template> templates = new ArrayList<>();
        for (Route route : router.getRoutes()) {
            if (route.getPath() == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            Set<String> methods = new TreeSet<>();
            route.methods().stream().map(HttpMethod::name).forEach(methods::add);
            // The router takes a trailing slash as the same path, and :param as one segment.
            String regex = Pattern.quote(route.getPath()).replaceAll(":[A-Za-z]+", "\\\\E[^/]+\\\\Q") + "/?";
            templates.add(new Template(Pattern.compile(regex), methods));
        }
        return new AllowedMethods(List.copyOf(templates));
    }

    /** The methods some route takes on this path, in alphabetical order; empty when no route has it. */
    Set<String> on(String path) {
        Set<String> methods = new TreeSet<>();
        for (Template template : templates) {
            if (template.path().matcher(path).matches()) {
                methods.addAll(template.methods());
            }
        }
        return methods;
    }
}
