package dev.airlock.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NetRuleTest {
    private static boolean allows(String rule, String method, String url) {
        NetRule r = NetRule.parse(rule);
        Target t = Target.parse(url);
        return r.matches(method, t.scheme(), t.host(), t.port(), t.path());
    }

    @Test
    void parsesEveryPartAndPrintsItBack() {
        NetRule r = NetRule.parse("get,Post https://API.Example.com:8443/v1/*");
        assertThat(r.methods()).containsExactlyInAnyOrder("GET", "POST");
        assertThat(r.scheme()).isEqualTo("https");
        assertThat(r.host()).isEqualTo("api.example.com");
        assertThat(r.port()).isEqualTo(8443);
        assertThat(r.pathPrefix()).isEqualTo("/v1/");
        assertThat(r).hasToString("GET,POST https://api.example.com:8443/v1/");
        assertThat(NetRule.parse("http://[::1]:8080")).hasToString("http://[::1]:8080/");
        assertThat(NetRule.parse("https://x.example.com").port()).isEqualTo(443);
    }

    @Test
    void methodsRestrictTheRule() {
        assertThat(allows("GET https://a.example.com/", "GET", "https://a.example.com/x")).isTrue();
        assertThat(allows("GET https://a.example.com/", "POST", "https://a.example.com/x"))
                .isFalse();
        assertThat(allows("https://a.example.com/", "DELETE", "https://a.example.com/x")).isTrue();
    }

    @Test
    void hostIsExactOrAWildcardOfSubdomains() {
        assertThat(allows("https://a.example.com/", "GET", "https://b.example.com/")).isFalse();
        assertThat(allows("https://*.example.com/", "GET", "https://b.example.com/")).isTrue();
        assertThat(allows("https://*.example.com/", "GET", "https://x.b.example.com/")).isTrue();
        assertThat(allows("https://*.example.com/", "GET", "https://example.com/")).isFalse();
        assertThat(allows("https://*.example.com/", "GET", "https://badexample.com/")).isFalse();
        assertThat(allows("https://*.example.com/", "GET", "https://example.com.evil.net/"))
                .isFalse();
    }

    @Test
    void portDefaultsToTheSchemes() {
        assertThat(allows("https://a.example.com/", "GET", "https://a.example.com:443/")).isTrue();
        assertThat(allows("https://a.example.com/", "GET", "https://a.example.com:8443/"))
                .isFalse();
        assertThat(allows("https://a.example.com/", "GET", "http://a.example.com/")).isFalse();
        assertThat(allows("http://a.example.com:81/", "GET", "http://a.example.com:81/")).isTrue();
    }

    @Test
    void pathIsAPrefixOnSegmentBoundaries() {
        assertThat(allows("https://a.example.com/v1/", "GET", "https://a.example.com/v1/x"))
                .isTrue();
        assertThat(allows("https://a.example.com/v1/", "GET", "https://a.example.com/v2/x"))
                .isFalse();
        assertThat(allows("https://a.example.com/v1", "GET", "https://a.example.com/v1")).isTrue();
        assertThat(allows("https://a.example.com/v1", "GET", "https://a.example.com/v1/a?q=1"))
                .isTrue();
        assertThat(allows("https://a.example.com/v1", "GET", "https://a.example.com/v1x"))
                .isFalse();
        assertThat(allows("https://a.example.com/repos/*", "GET", "https://a.example.com/repos/a"))
                .isTrue();
    }

    @Test
    void requestPathsThatCouldEscapeThePrefixAreRefused() {
        for (String url :
                new String[] {
                    "https://a.example.com/v1/../admin",
                    "https://a.example.com/v1/%2e%2e/admin",
                    "https://a.example.com/v1/..%2Fadmin",
                    "https://a.example.com/v1/./x",
                    "https://user:pw@a.example.com/v1/",
                    "ftp://a.example.com/",
                    "/relative",
                }) {
            assertThatThrownBy(() -> Target.parse(url))
                    .as(url)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void badRulesSayWhatIsWrong() {
        assertThatThrownBy(() -> NetRule.parse("ftp://a.example.com/"))
                .hasMessage(
                        "invalid network rule 'ftp://a.example.com/': scheme must be http or https");
        assertThatThrownBy(() -> NetRule.parse("FETCH https://a.example.com/"))
                .hasMessageContaining("unknown method 'FETCH'");
        assertThatThrownBy(() -> NetRule.parse("a.example.com"))
                .hasMessageContaining("expected SCHEME://HOST");
        assertThatThrownBy(() -> NetRule.parse("https://*.com/"))
                .hasMessageContaining("at least two labels");
        assertThatThrownBy(() -> NetRule.parse("https://*/"))
                .hasMessageContaining("invalid network rule");
        assertThatThrownBy(() -> NetRule.parse("https://a.*.com/"))
                .hasMessageContaining("only as the first label");
        assertThatThrownBy(() -> NetRule.parse("https://a.example.com:99999/"))
                .hasMessageContaining("port must be 1 to 65535");
        assertThatThrownBy(() -> NetRule.parse("https://a.example.com:x/"))
                .hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> NetRule.parse("https://a.example.com/v1?x=1"))
                .hasMessageContaining("no query");
        assertThatThrownBy(() -> NetRule.parse("https://u@a.example.com/"))
                .hasMessageContaining("no user name");
        assertThatThrownBy(() -> NetRule.parse("https://a.example.com/a*b"))
                .hasMessageContaining("only at the end");
        assertThatThrownBy(() -> NetRule.parse("https://a.example.com/../x"))
                .hasMessageContaining(". or .. segment");
        assertThatThrownBy(() -> NetRule.parse("https://300.1.1.1/"))
                .hasMessageContaining("invalid IPv4");
        assertThatThrownBy(() -> NetRule.parse(" ")).hasMessageContaining("empty rule");
    }

    private static boolean covers(String outer, String inner) {
        return NetRule.parse(outer).covers(NetRule.parse(inner));
    }

    @Test
    void aRuleCoversNarrowerRulesOnly() {
        assertThat(covers("https://*.example.com/", "GET https://a.example.com/v1/")).isTrue();
        assertThat(covers("https://*.example.com/", "https://*.a.example.com/")).isTrue();
        assertThat(covers("https://*.a.example.com/", "https://*.example.com/")).isFalse();
        assertThat(covers("https://a.example.com/", "https://*.example.com/")).isFalse();
        assertThat(covers("GET https://a.example.com/", "https://a.example.com/")).isFalse();
        assertThat(covers("GET,POST https://a.example.com/", "POST https://a.example.com/"))
                .isTrue();
        assertThat(covers("https://a.example.com/v1/", "https://a.example.com/v1/x")).isTrue();
        assertThat(covers("https://a.example.com/v1/", "https://a.example.com/v1")).isFalse();
        assertThat(covers("https://a.example.com/v1", "https://a.example.com/v1/")).isTrue();
        assertThat(covers("https://a.example.com/v1", "https://a.example.com/v1x")).isFalse();
        assertThat(covers("https://a.example.com/", "http://a.example.com/")).isFalse();
        assertThat(covers("https://a.example.com/", "https://a.example.com:8443/")).isFalse();
        assertThat(covers("https://*.example.com/", "http://169.254.169.254/")).isFalse();
    }

    @Test
    void auditUrlsKeepQueryNamesButNotValues() {
        assertThat(Target.parse("https://a.example.com/s?q=secret&key=abc&flag").redacted())
                .isEqualTo("https://a.example.com/s?q=*&key=*&flag");
        assertThat(Target.parse("http://127.0.0.1:8080/x").redacted())
                .isEqualTo("http://127.0.0.1:8080/x");
    }

    private static String both(String a, String b) {
        NetRule x = NetRule.parse(a).intersect(NetRule.parse(b));
        NetRule y = NetRule.parse(b).intersect(NetRule.parse(a));
        assertThat(x).as("symmetric").isEqualTo(y);
        return x == null ? null : x.toString();
    }

    @Test
    void intersectionAllowsOnlyWhatBothRulesAllow() {
        assertThat(both("GET,POST https://api.example.com/v1/", "https://api.example.com/"))
                .isEqualTo("GET,POST https://api.example.com/v1/");
        assertThat(both("GET,POST https://api.example.com/", "POST,PUT https://api.example.com/"))
                .isEqualTo("POST https://api.example.com/");
        assertThat(both("GET https://api.example.com/", "POST https://api.example.com/")).isNull();
        assertThat(both("https://*.example.com/", "https://api.example.com/x"))
                .isEqualTo("https://api.example.com/x");
        assertThat(both("https://*.example.com/", "https://*.a.example.com/"))
                .isEqualTo("https://*.a.example.com/");
        assertThat(both("https://*.example.com/", "https://example.com/")).isNull();
        assertThat(both("https://*.example.com/", "https://*.example.org/")).isNull();
        assertThat(both("https://a.example.com/", "https://b.example.com/")).isNull();
        assertThat(both("https://a.example.com/", "http://a.example.com/")).isNull();
        assertThat(both("https://a.example.com/", "https://a.example.com:8443/")).isNull();
        assertThat(both("https://a.example.com/v1", "https://a.example.com/v1/x"))
                .isEqualTo("https://a.example.com/v1/x");
        assertThat(both("https://a.example.com/v1", "https://a.example.com/v1/"))
                .isEqualTo("https://a.example.com/v1/");
        assertThat(both("https://a.example.com/v1", "https://a.example.com/v1x")).isNull();
        assertThat(both("https://a.example.com/v1/", "https://a.example.com/v2/")).isNull();
        assertThat(both("http://127.0.0.1:8080/", "http://127.0.0.1:8080/api/"))
                .isEqualTo("http://127.0.0.1:8080/api/");
    }

    @Test
    void anIntersectionNeverAllowsARequestEitherRuleRefuses() {
        String[] rules = {
            "https://*.example.com/",
            "GET https://api.example.com/v1",
            "POST,GET https://*.api.example.com/v1/",
            "https://api.example.com/v1/x/",
            "DELETE https://api.example.com/",
        };
        String[][] requests = {
            {"GET", "https://api.example.com/v1"},
            {"GET", "https://api.example.com/v1/x/y"},
            {"POST", "https://a.api.example.com/v1/z"},
            {"DELETE", "https://api.example.com/v2"},
            {"GET", "https://example.com/v1"},
            {"GET", "https://x.example.com/v1x"},
        };
        for (String a : rules) {
            for (String b : rules) {
                NetRule both = NetRule.parse(a).intersect(NetRule.parse(b));
                for (String[] r : requests) {
                    boolean expected = allows(a, r[0], r[1]) && allows(b, r[0], r[1]);
                    boolean actual = both != null && allows(both.toString(), r[0], r[1]);
                    assertThat(actual).as("%s & %s: %s %s", a, b, r[0], r[1]).isEqualTo(expected);
                }
            }
        }
    }
}
