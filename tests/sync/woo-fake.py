#!/usr/bin/env python3
# A WooCommerce shop for the sync tests: the REST API v3 routes Clientele uses, answered the way
# WooCommerce answers them, built from the documentation's example payloads
# (/work/shared/data/woocommerce/, passed with --data) and its documented rules:
#
#   GET /wp-json/                      the site index (namespaces include "wc/v3"; no auth)
#   GET /wp-json/wc/v3/customers       page, per_page (1-100, default 10), offset, orderby
#                                      (id, name, registered_date, include), order, email
#   GET /wp-json/wc/v3/customers/ID    PUT /wp-json/wc/v3/customers/ID (JSON body, partial)
#   GET /wp-json/wc/v3/orders          page, per_page, offset, orderby (date, id, modified,
#                                      include, title, slug), order, modified_after,
#                                      modified_before, dates_are_gmt
#   GET /wp-json/wc/v3/orders/ID
#   _fields on every route (WordPress's global parameter: only the members named)
#
# Lists carry X-WP-Total, X-WP-TotalPages and a Link header (rel prev/next), as WordPress does.
# Errors are {"code", "message", "data": {"status"}}.  Authentication as WooCommerce's
# WC_REST_Authentication: over HTTPS (--tls) Basic with key/secret, or consumer_key and
# consumer_secret in the query string; over plain HTTP OAuth 1.0a one-legged (HMAC-SHA1 or
# HMAC-SHA256, parameters in the query string, the signature checked over the method, the URL and
# the sorted, RFC 3986-encoded parameters, the timestamp within 15 minutes, each nonce once).
# A wrong key is 401 woocommerce_rest_authentication_error; no credentials at all is 401
# woocommerce_rest_cannot_view.  --not-woo makes a site that is not WordPress (404 everywhere).
#
# Test control (no auth), on the same port:
#   POST /_fake/fault   {"kind": "drop"|"500"|"429"|"timeout"|"malformed"|"repeat"|"change",
#                        "path": "/wp-json/wc/v3/orders", "page": 2, "count": 1,
#                        "retry_after": 1, "seconds": 3}
#       the next `count` requests of that list page (any page when "page" is absent) fail that
#       way: drop = the connection closed half-way through the body; timeout = no answer for
#       `seconds`; repeat = the page before it served again; change = the page is served, and
#       then the first order of the page before it is changed (as another user would, between
#       two pages of one listing), and the last order after it.
#   POST /_fake/customers/ID   {...}  a change made in the shop (merged, date_modified moved)
#   POST /_fake/orders/ID      {...}  the same for an order
#   GET  /_fake/state          every customer and order, and the requests served
#
# Usage: woo-fake.py --data DIR [--port 0] [--customers N] [--orders N] [--seed S]
#                    [--key CK --secret CS] [--tls CERT KEY] [--gmt-offset H] [--not-woo]
#                    [--open (no authentication: the benchmark's curl reference)]
#                    [--no-auth-header (HTTPS: Basic never arrives, as under PHP CGI)]
# The port it listens on is printed as the first line of standard output.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import base64
import copy
import datetime
import hashlib
import hmac
import http.server
import json
import os
import random
import socketserver
import ssl
import sys
import threading
import time
import urllib.parse

API = "/wp-json/wc/v3"


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S")


def rfc3986(s):
    return urllib.parse.quote(str(s), safe="~-._")


class Shop:
    def __init__(self, args):
        self.lock = threading.RLock()
        self.args = args
        self.offset = datetime.timedelta(hours=args.gmt_offset)
        self.customers = {}
        self.orders = {}
        self.faults = []
        self.nonces = set()
        self.requests = 0
        self.last = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
        self.version = 0       # bumped by every change: the caches below hold for one version
        self.sorted_cache = {}
        self.json_cache = {}
        with open(os.path.join(args.data, "retrieve-a-customer.json")) as f:
            self.customer_template = json.load(f)
        with open(os.path.join(args.data, "retrieve-an-order.json")) as f:
            self.order_template = json.load(f)
        for c in json.load(open(os.path.join(args.data, "list-all-customers.json"))):
            self.customers[c["id"]] = c
        for o in json.load(open(os.path.join(args.data, "list-all-orders.json"))):
            self.orders[o["id"]] = o
        self.generate(args.customers, args.orders, random.Random(args.seed))

    # -- data --------------------------------------------------------------------------------

    def stamp(self, obj, field, gmt):
        obj[field + "_gmt"] = iso(gmt)
        obj[field] = iso(gmt + self.offset)

    def generate(self, n_customers, n_orders, rnd):
        first = ["Ana", "Bo", "Chen", "Dana", "Eli", "Fang", "Gus", "Hui", "Ivo", "Jun"]
        last = ["Li", "Wang", "Smith", "Garcia", "Zhao", "Novak", "Kim", "Ito", "Silva", "Chen"]
        base = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
        next_id = max(list(self.customers) + [100]) + 1
        for i in range(n_customers):
            c = copy.deepcopy(self.customer_template)
            cid = next_id + i
            fn, ln = rnd.choice(first), rnd.choice(last)
            c.update(id=cid, first_name=fn, last_name=ln, email="customer%d@example.com" % cid,
                     username="customer%d" % cid)
            c["billing"].update(first_name=fn, last_name=ln, email=c["email"],
                                phone="+1 555 %03d %04d" % (cid // 10000, cid % 10000),
                                city=rnd.choice(["Portland", "Austin", "Denver"]))
            c["shipping"].update(first_name=fn, last_name=ln)
            when = base + datetime.timedelta(minutes=i)
            self.stamp(c, "date_created", when)
            self.stamp(c, "date_modified", when)
            c["_links"] = {}
            self.customers[cid] = c
        ids = sorted(self.customers)
        next_oid = max(list(self.orders) + [1000]) + 1
        for i in range(n_orders):
            o = copy.deepcopy(self.order_template)
            oid = next_oid + i
            cid = ids[rnd.randrange(len(ids))] if rnd.random() < 0.9 else 0
            o.update(id=oid, number=str(oid), customer_id=cid,
                     status=rnd.choice(["processing", "completed", "completed", "on-hold", "cancelled"]))
            if cid:
                o["billing"] = dict(o["billing"], email=self.customers[cid]["email"],
                                    phone=self.customers[cid]["billing"]["phone"],
                                    first_name=self.customers[cid]["first_name"],
                                    last_name=self.customers[cid]["last_name"])
            else:
                o["billing"] = dict(o["billing"], email="guest%d@example.org" % (oid % 500),
                                    phone="", first_name="Guest", last_name=str(oid % 500))
            qty = rnd.randint(1, 4)
            o["line_items"][0].update(quantity=qty, price=3, subtotal="%d.00" % (3 * qty), total="%d.00" % (3 * qty))
            total = 3 * qty + 12 + 10
            o.update(total="%d.%02d" % (total, rnd.randrange(100)))
            when = base + datetime.timedelta(seconds=30 * i)
            for field in ("date_created", "date_modified", "date_paid"):
                self.stamp(o, field, when)
            o["_links"] = {}
            self.orders[oid] = o

    def touch(self, obj):
        # A change moves date_modified forward, never onto the time of the one before.
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        self.last = max(now, self.last + datetime.timedelta(seconds=1))
        self.stamp(obj, "date_modified", self.last)

    def change(self, kind, oid, fields):
        with self.lock:
            table = self.customers if kind == "customers" else self.orders
            obj = table[oid]
            for k, v in fields.items():
                if isinstance(v, dict) and isinstance(obj.get(k), dict):
                    obj[k].update(v)
                else:
                    obj[k] = v
            self.touch(obj)
            self.version += 1
            self.sorted_cache.clear()
            for key in [k for k in self.json_cache if k[:2] == (kind, oid)]:
                del self.json_cache[key]
            return obj


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Apache"

    def log_message(self, fmt, *args):
        if os.environ.get("WOO_FAKE_VERBOSE"):
            sys.stderr.write("woo-fake: " + (fmt % args) + "\n")

    @property
    def shop(self):
        return self.server.shop

    # -- answers ------------------------------------------------------------------------------

    def send(self, status, body, headers=None, raw=None):
        data = raw if raw is not None else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def error(self, status, code, message, headers=None):
        self.send(status, {"code": code, "message": message, "data": {"status": status}}, headers)

    # -- auth (WC_REST_Authentication) --------------------------------------------------------

    def authenticate(self, query):
        args = self.shop.args
        if args.open:
            return True   # bench/bench-woo.sh: the reference (curl) fetches the same pages unsigned
        if self.server.tls:
            key = secret = None
            # --no-auth-header: a server (PHP as CGI) that does not pass the header on.
            auth = "" if args.no_auth_header else self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                try:
                    key, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                except ValueError:
                    key = None
            elif "consumer_key" in query:
                key, secret = query.get("consumer_key"), query.get("consumer_secret")
            if key is None:
                return self.error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
            if key != args.key:
                return self.error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
            if not hmac.compare_digest(secret or "", args.secret):
                return self.error(401, "woocommerce_rest_authentication_error", "Consumer secret is invalid.")
            return True
        needed = ["oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"]
        if any(not query.get(n) for n in needed):
            return self.error(401, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
        if query["oauth_consumer_key"] != args.key:
            return self.error(401, "woocommerce_rest_authentication_error", "Consumer key is invalid.")
        method = query["oauth_signature_method"]
        if method not in ("HMAC-SHA1", "HMAC-SHA256"):
            return self.error(401, "woocommerce_rest_authentication_error", "Invalid signature - signature method is invalid.")
        params = {k: v for k, v in query.items() if k != "oauth_signature"}
        path = urllib.parse.urlsplit(self.path).path
        host = self.headers.get("Host", "127.0.0.1:%d" % self.server.server_address[1])
        base_uri = rfc3986("http://%s%s" % (host, path))
        normalized = ["%s=%s" % (rfc3986(k), rfc3986(params[k])) for k in sorted(params)]
        to_sign = "%s&%s&%s" % (self.command.upper(), base_uri, "%26".join(rfc3986(p) for p in normalized))
        digest = hashlib.sha256 if method == "HMAC-SHA256" else hashlib.sha1
        expected = base64.b64encode(hmac.new((args.secret + "&").encode(), to_sign.encode(), digest).digest()).decode()
        given = query["oauth_signature"].replace(" ", "+")
        if not hmac.compare_digest(expected, given):
            return self.error(401, "woocommerce_rest_authentication_error",
                              "Invalid signature - provided signature does not match.")
        try:
            ts = int(query["oauth_timestamp"])
        except ValueError:
            ts = 0
        if abs(time.time() - ts) > 15 * 60:
            return self.error(401, "woocommerce_rest_authentication_error", "Invalid timestamp.")
        with self.shop.lock:
            if (ts, query["oauth_nonce"]) in self.shop.nonces:
                return self.error(401, "woocommerce_rest_authentication_error", "Invalid nonce - nonce has already been used.")
            self.shop.nonces.add((ts, query["oauth_nonce"]))
        return True

    # -- faults -------------------------------------------------------------------------------

    def take_fault(self, path, page):
        with self.shop.lock:
            for f in self.shop.faults:
                if f["path"] == path and f.get("page") in (None, page) and f["count"] > 0:
                    f["count"] -= 1
                    return dict(f)
        return None

    # -- lists --------------------------------------------------------------------------------

    def list_page(self, table, query, kind):
        try:
            per_page = int(query.get("per_page", 10))
            page = int(query.get("page", 1))
            offset = int(query["offset"]) if "offset" in query else None
        except ValueError:
            return self.error(400, "rest_invalid_param", "Invalid parameter(s): page")
        if not 1 <= per_page <= 100:
            return self.error(400, "rest_invalid_param", "Invalid parameter(s): per_page",)
        if page < 1:
            return self.error(400, "rest_invalid_param", "Invalid parameter(s): page")
        path = urllib.parse.urlsplit(self.path).path
        fault = self.take_fault(path, page)
        if fault and fault["kind"] == "repeat" and page > 1:
            page -= 1
        with self.shop.lock:
            gmt = query.get("dates_are_gmt") in ("true", "1")
            field = "date_modified_gmt" if gmt else "date_modified"
            orderby = query.get("orderby", "date" if kind == "orders" else "name")
            keys = {"id": lambda o: o["id"], "include": lambda o: o["id"],
                    "date": lambda o: (o["date_created_gmt"], o["id"]),
                    "registered_date": lambda o: (o["date_created_gmt"], o["id"]),
                    "modified": lambda o: (o["date_modified_gmt"], o["id"]),
                    "name": lambda o: (o.get("first_name", "") + " " + o.get("last_name", ""), o["id"]),
                    "title": lambda o: o["id"], "slug": lambda o: o["id"]}
            if orderby not in keys:
                return self.error(400, "rest_invalid_param", "Invalid parameter(s): orderby")
            order = query.get("order", "desc" if kind == "orders" else "asc")
            # The filtered, sorted listing is the same for every page of one listing.
            ckey = (kind, field, query.get("modified_after"), query.get("modified_before"), query.get("email"), orderby, order)
            items = self.shop.sorted_cache.get(ckey)
            if items is None:
                items = list(table.values())
                if kind == "orders" and "modified_after" in query:
                    after = query["modified_after"][:19]
                    items = [o for o in items if o[field] > after]
                if kind == "orders" and "modified_before" in query:
                    before = query["modified_before"][:19]
                    items = [o for o in items if o[field] < before]
                if "email" in query:
                    items = [o for o in items if o.get("email") == query["email"]]
                items.sort(key=keys[orderby], reverse=(order == "desc"))
                self.shop.sorted_cache[ckey] = items
            total = len(items)
            pages = (total + per_page - 1) // per_page
            start = offset if offset is not None else (page - 1) * per_page
            fields = query.get("_fields")
            data = b"[" + b",".join(self.item_json(kind, o, fields) for o in items[start:start + per_page]) + b"]"
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        base = dict(query)
        for k in list(base):
            if k.startswith("oauth_") or k.startswith("consumer_"):
                del base[k]
        if page > 1:
            links.append('<%s?%s>; rel="prev"' % (self.site() + "/" + kind, urllib.parse.urlencode(dict(base, page=page - 1))))
        if page < pages:
            links.append('<%s?%s>; rel="next"' % (self.site() + "/" + kind, urllib.parse.urlencode(dict(base, page=page + 1))))
        if links:
            headers["Link"] = ", ".join(links)
        self.answer_with_fault(fault, 200, data, headers)
        if fault and fault["kind"] == "change" and kind == "orders" and page > 1:
            self.change_earlier_page(query, per_page, page)

    def item_json(self, kind, item, fields=None):
        # Each record serialized once (until it changes), with its _links.  _fields (WordPress's
        # global parameter) keeps only the members named ("billing.email" keeps "billing").
        key = (kind, item["id"], fields)
        data = self.shop.json_cache.get(key)
        if data is None:
            item = dict(item, _links={"self": [{"href": "%s/%s/%d" % (self.site(), kind, item["id"])}],
                                      "collection": [{"href": "%s/%s" % (self.site(), kind)}]})
            if fields:
                keep = {f.strip().split(".")[0] for f in fields.split(",")}
                item = {k: v for k, v in item.items() if k in keep}
            data = self.shop.json_cache[key] = json.dumps(item).encode()
        return data

    def change_earlier_page(self, query, per_page, page):
        # Another user edits an order listed on the page before, between two pages of a listing,
        # and a moment later the last order (on a page still to come, so that the listing sees
        # a change newer than the one it missed).
        with self.shop.lock:
            items = sorted(self.shop.orders.values(), key=lambda o: o["id"])
            target = items[min(len(items) - 1, (page - 2) * per_page)]
            self.shop.change("orders", target["id"], {"status": "completed", "customer_note": "changed between pages"})
            self.shop.change("orders", items[-1]["id"], {"status": "on-hold", "customer_note": "changed later"})

    def answer_with_fault(self, fault, status, data, headers):
        kind = fault["kind"] if fault else None
        if kind == "500":
            return self.error(500, "internal_server_error", "There has been a critical error on this website.")
        if kind == "429":
            return self.error(429, "too_many_requests", "Too many requests.",
                              {"Retry-After": str(fault.get("retry_after", 1))})
        if kind == "timeout":
            time.sleep(fault.get("seconds", 3))
            self.close_connection = True
            return
        if kind == "malformed":
            data = data[: len(data) // 2] + b"<br />\n<b>Warning</b>: PHP notice"
            return self.send(status, None, headers, raw=data)
        if kind == "drop":
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.send(status, None, headers, raw=data)

    def site(self):
        scheme = "https" if self.server.tls else "http"
        host = self.headers.get("Host", "127.0.0.1:%d" % self.server.server_address[1])
        return "%s://%s%s" % (scheme, host, API)

    # -- routing ------------------------------------------------------------------------------

    def query(self):
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        return {k: v[-1] for k, v in q.items()}

    def body_json(self):
        n = int(self.headers.get("Content-Length", 0) or 0)
        raw = self.rfile.read(n) if n else b""
        return json.loads(raw or b"{}")

    def do_GET(self):
        self.route("GET")

    def do_PUT(self):
        self.route("PUT")

    def do_POST(self):
        self.route("POST")

    def route(self, method):
        with self.shop.lock:
            self.shop.requests += 1
        path = urllib.parse.urlsplit(self.path).path.rstrip("/")
        query = self.query()
        if path.startswith("/_fake"):
            return self.control(method, path)
        if self.shop.args.not_woo:
            raw = b"<html><body><h1>Not Found</h1></body></html>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
            return
        if path == "/wp-json":
            return self.send(200, self.index())
        if not path.startswith(API + "/"):
            return self.error(404, "rest_no_route", "No route was found matching the URL and request method.")
        if self.authenticate(query) is not True:
            return
        parts = path[len(API) + 1:].split("/")
        kind = parts[0]
        if kind not in ("customers", "orders") or len(parts) > 2:
            return self.error(404, "rest_no_route", "No route was found matching the URL and request method.")
        table = self.shop.customers if kind == "customers" else self.shop.orders
        if len(parts) == 1 and method == "GET":
            return self.list_page(table, query, kind)
        if len(parts) != 2 or not parts[1].isdigit():
            return self.error(404, "rest_no_route", "No route was found matching the URL and request method.")
        oid = int(parts[1])
        if oid not in table:
            code = "woocommerce_rest_invalid_id" if kind == "customers" else "woocommerce_rest_shop_order_invalid_id"
            return self.error(404, code, "Invalid ID.")
        if method == "GET":
            with self.shop.lock:
                return self.send(200, copy.deepcopy(table[oid]))
        if method == "PUT" and kind == "customers":
            try:
                fields = self.body_json()
            except ValueError:
                return self.error(400, "rest_invalid_json", "Invalid JSON body passed.")
            allowed = {"email", "first_name", "last_name", "billing", "shipping", "meta_data"}
            bad = [k for k in fields if k not in allowed]
            if bad:
                return self.error(400, "rest_invalid_param", "Invalid parameter(s): " + ", ".join(bad))
            return self.send(200, self.shop.change("customers", oid, fields))
        return self.error(404, "rest_no_route", "No route was found matching the URL and request method.")

    def index(self):
        off = self.shop.args.gmt_offset
        return {"name": "Fake Shop", "description": "Just another WordPress site", "url": self.site()[:-len(API)],
                "home": self.site()[:-len(API)], "gmt_offset": off, "timezone_string": "",
                "namespaces": ["oembed/1.0", "wc/v1", "wc/v2", "wc/v3", "wc/store/v1", "wp/v2"],
                "authentication": [], "routes": {API + "/customers": {}, API + "/orders": {}}}

    def control(self, method, path):
        parts = path.split("/")[2:]
        if method == "POST" and parts == ["fault"]:
            f = self.body_json()
            f.setdefault("count", 1)
            with self.shop.lock:
                self.shop.faults.append(f)
            return self.send(200, {"ok": True})
        if method == "POST" and len(parts) == 2 and parts[0] in ("customers", "orders"):
            fields = self.body_json()
            return self.send(200, self.shop.change(parts[0], int(parts[1]), fields))
        if method == "GET" and parts == ["state"]:
            with self.shop.lock:
                return self.send(200, {"customers": sorted(self.shop.customers.values(), key=lambda c: c["id"]),
                                       "orders": sorted(self.shop.orders.values(), key=lambda o: o["id"]),
                                       "requests": self.shop.requests})
        return self.error(404, "rest_no_route", "No such control")


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def watch_parent():
    # The test that started it may die without stopping it: then it goes too.
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--customers", type=int, default=0)
    p.add_argument("--orders", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--key", default="ck_test")
    p.add_argument("--secret", default="cs_test")
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--gmt-offset", type=float, default=-3)
    p.add_argument("--not-woo", action="store_true")
    p.add_argument("--open", action="store_true", help="no authentication (benchmarks only)")
    p.add_argument("--no-auth-header", action="store_true", help="the Authorization header never reaches the shop")
    args = p.parse_args()
    server = Server(("127.0.0.1", args.port), Handler)
    server.shop = Shop(args)
    server.tls = args.tls is not None
    if server.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls[0], args.tls[1])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=watch_parent, daemon=True).start()
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
