// The official WooCommerce REST API client (@woocommerce/woocommerce-rest-api, npm) reading every
// page of a list from a shop: test-woo.c runs it against woo-fake.py over plain HTTP (OAuth 1.0a
// HMAC-SHA256) and compares what it gets with what Clientele's client gets.
//
//   node woo-official.js URL KEY SECRET ROUTE [NAME=VALUE...]
//
// Prints one JSON line per page: {"page", "status", "total", "total_pages", "ids"}; a failed
// request prints {"page", "status", "code", "message"} and stops.
//
// SPDX-License-Identifier: GPL-3.0-or-later
'use strict';

const path = require('path');
const WooCommerceRestApi = require(path.join(__dirname, 'woo-js', 'node_modules', '@woocommerce',
                                             'woocommerce-rest-api')).default;

async function main () {
  const [url, key, secret, route, ...rest] = process.argv.slice(2);
  const api = new WooCommerceRestApi({ url, consumerKey: key, consumerSecret: secret, version: 'wc/v3' });
  const params = {};

  for (const pair of rest) {
    const eq = pair.indexOf('=');
    params[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  for (let page = 1; ; page++) {
    let r;
    try {
      r = await api.get(route, Object.assign({}, params, { page }));
    } catch (e) {
      const data = e.response ? e.response.data : {};
      console.log(JSON.stringify({ page, status: e.response ? e.response.status : 0,
                                   code: data.code, message: data.message || String(e) }));
      return;
    }
    const pages = parseInt(r.headers['x-wp-totalpages'], 10);
    console.log(JSON.stringify({ page, status: r.status, total: parseInt(r.headers['x-wp-total'], 10),
                                 total_pages: pages, ids: r.data.map(o => o.id) }));
    if (!/rel="next"/.test(r.headers.link || '') || page >= pages)
      return;
  }
}

main ();
