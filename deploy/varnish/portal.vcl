# Edge cache in front of the platform's web processes (Varnish 7, Debian's `varnish`).
#
# - Keyed by host and URL: the host is lower-cased without port or trailing dot, tracking
#   parameters (utm_*, fbclid, gclid, zarsrc, zalo…) are taken off the URL and the rest of
#   the query is sorted, so `?utm_source=zalo` and `?fbclid=…` hit the page itself.
# - Stores only what the platform marks `public` with an `s-maxage` (anonymous pages, for as
#   long as its own page cache keeps them); anything else (no Cache-Control, `private`,
#   `no-store`, a Set-Cookie) goes straight through, remembered as uncacheable.
# - Never from the cache: methods other than GET/HEAD, the admin, the console, `/_live/`
#   (live figures, counted per view), and every request carrying a session or CSRF cookie
#   (a signed-in editor, a visitor with a form open); other cookies are dropped on lookups.
# - `PURGE http://<host>/<path>` from the web processes (Wagtail's frontend-cache HTTP
#   backend, `EDGE_CACHE_URL`) bans every cached URL of that host under that path; the
#   platform sends `/` of every domain of a site whenever that site's pages change.
#
# bench/edge_cache.py runs this file locally (it replaces the backend's host and port).
vcl 4.1;

import directors;
import std;

# Two web nodes (compose services web and web-2; add one backend per further node: Varnish
# resolves a backend's name to one address, so replicas behind one name would not balance).
backend web_a {
    .host = "web";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}

backend web_b {
    .host = "web-2";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}

sub vcl_init {
    new portal = directors.round_robin();
    portal.add_backend(web_a);
    portal.add_backend(web_b);
}

# Who may purge: the web processes (same host, or the compose/private network).
acl purgers {
    "127.0.0.1";
    "::1";
    "10.0.0.0"/8;
    "172.16.0.0"/12;
    "192.168.0.0"/16;
}

sub vcl_recv {
    set req.backend_hint = portal.backend();
    set req.http.host = std.tolower(regsub(regsub(req.http.host, ":[0-9]+$", ""), "\.$", ""));

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        ban("obj.http.x-portal-host == " + req.http.host + " && obj.http.x-portal-url ~ ^" + regsub(req.url, "\?.*$", ""));
        return (synth(200, "Banned"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.url ~ "^/(admin|console|_live|csp-report)(/|\?|$)") {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken)=") {
        return (pass);
    }
    if (req.url ~ "\?") {
        set req.url = regsuball(req.url, "(?i)([?&])(utm_[^=&]*|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|igshid|twclid|ttclid|mc_cid|mc_eid|_ga|_gl|_hs[^=&]*|zalo[^=&]*|zarsrc|zl_[^=&]*|ref_?src|fb_[^=&]+)(=[^&]*)?(?=&|$)", "\1");
        set req.url = regsuball(req.url, "&&+", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]$", "");
        set req.url = std.querysort(req.url);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # Kept with the object so that bans test objects only (the ban lurker can work them).
    set beresp.http.x-portal-host = bereq.http.host;
    set beresp.http.x-portal-url = bereq.url;
    if (beresp.http.Cache-Control !~ "public" || beresp.http.Cache-Control !~ "s-maxage"
        || beresp.http.Set-Cookie) {
        # Straight through for a while (no waiting on other requests for it).
        set beresp.uncacheable = true;
        set beresp.ttl = 60s;
        return (deliver);
    }
    # A page is never served past its lifetime (an urgent banner starting or ending);
    # after it, kept a minute to be revalidated with its ETag (a 304 from the platform).
    set beresp.grace = 0s;
    set beresp.keep = 60s;
    return (deliver);
}

sub vcl_deliver {
    unset resp.http.x-portal-host;
    unset resp.http.x-portal-url;
    if (resp.http.Cache-Control ~ "s-maxage") {
        # Browsers and other proxies revalidate (ETag): only this cache is purged on publish.
        set resp.http.Cache-Control = "no-cache";
    }
    if (obj.hits > 0) {
        set resp.http.X-Edge-Cache = "HIT";
    } else {
        set resp.http.X-Edge-Cache = "MISS";
    }
}
