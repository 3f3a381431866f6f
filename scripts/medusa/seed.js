#!/usr/bin/env node
// Seeds a fresh Medusa 2 server with what Seller Desk's connector tests need, through the Admin API
// only (no extra npm packages: node's own fetch). Called by scripts/medusa.sh start.
//
// Input (environment): MEDUSA_URL, MEDUSA_ADMIN_EMAIL, MEDUSA_ADMIN_PASSWORD.
// Output: KEY=VALUE lines on stdout (medusa.sh writes them to DIR/medusa.env); progress on stderr.
"use strict"

const base = (process.env.MEDUSA_URL || "").replace(/\/$/, "")
const email = process.env.MEDUSA_ADMIN_EMAIL
const password = process.env.MEDUSA_ADMIN_PASSWORD
if (!base || !email || !password) {
  console.error("seed: MEDUSA_URL, MEDUSA_ADMIN_EMAIL and MEDUSA_ADMIN_PASSWORD must be set")
  process.exit(2)
}

let token = null

async function call(method, path, body) {
  const headers = { accept: "application/json" }
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers["content-type"] = "application/json"
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) {
    throw new Error(`${method} ${path} -> ${res.status}: ${text.slice(0, 800)}`)
  }
  return text ? JSON.parse(text) : {}
}
const get = (path) => call("GET", path)
const post = (path, body = {}) => call("POST", path, body)
const step = (what) => console.error(`seed: ${what}`)

const PRODUCTS = [
  { title: "Seller Desk Tee", handle: "sellerdesk-tee", sku: "SD-TEE", amount: 30 }, // $30.00
  { title: "Seller Desk Mug", handle: "sellerdesk-mug", sku: "SD-MUG", amount: 12.5 }, // $12.50
]
const STOCK = 1000

async function main() {
  step("log in as the admin user")
  token = (await post("/auth/user/emailpass", { email, password })).token
  if (!token) throw new Error("no token from /auth/user/emailpass")

  step("store currency usd (default)")
  const { stores } = await get("/admin/stores?fields=id,*supported_currencies")
  const store = stores[0]
  await post(`/admin/stores/${store.id}`, {
    supported_currencies: [{ currency_code: "usd", is_default: true }],
  })

  step("sales channel")
  const { sales_channel: channel } = await post("/admin/sales-channels", {
    name: "Seller Desk test channel",
    description: "Created by scripts/medusa.sh",
  })
  await post(`/admin/stores/${store.id}`, { default_sales_channel_id: channel.id })

  step("region US / usd / pp_system_default")
  const { region } = await post("/admin/regions", {
    name: "United States",
    currency_code: "usd",
    countries: ["us"],
    payment_providers: ["pp_system_default"],
  })

  step("tax region us")
  await post("/admin/tax-regions", { country_code: "us", provider_id: "tp_system" })

  step("stock location + fulfillment set + service zone")
  const { stock_location: location } = await post("/admin/stock-locations", {
    name: "Seller Desk warehouse",
    address: { address_1: "1 Test Street", city: "New York", country_code: "US", postal_code: "10001" },
  })
  await post(`/admin/stock-locations/${location.id}/sales-channels`, { add: [channel.id] })
  await post(`/admin/stock-locations/${location.id}/fulfillment-providers`, { add: ["manual_manual"] })
  const withSet = await post(`/admin/stock-locations/${location.id}/fulfillment-sets?fields=*fulfillment_sets`, {
    name: "Seller Desk shipping",
    type: "shipping",
  })
  const fulfillmentSet = withSet.stock_location.fulfillment_sets[0]
  const withZone = await post(`/admin/fulfillment-sets/${fulfillmentSet.id}/service-zones`, {
    name: "United States",
    geo_zones: [{ type: "country", country_code: "us" }],
  })
  const serviceZone = withZone.fulfillment_set.service_zones[0]

  step("shipping options (normal + return)")
  const { shipping_profiles: profiles } = await get("/admin/shipping-profiles?type=default")
  const profile = profiles[0] || (await post("/admin/shipping-profiles", { name: "Default", type: "default" })).shipping_profile
  const shippingOption = async (name, code, isReturn, amount) =>
    (
      await post("/admin/shipping-options", {
        name,
        service_zone_id: serviceZone.id,
        shipping_profile_id: profile.id,
        provider_id: "manual_manual",
        price_type: "flat",
        type: { label: name, description: name, code },
        prices: [
          { currency_code: "usd", amount },
          { region_id: region.id, amount },
        ],
        rules: [
          { attribute: "enabled_in_store", operator: "eq", value: "true" },
          { attribute: "is_return", operator: "eq", value: isReturn ? "true" : "false" },
        ],
      })
    ).shipping_option
  const standard = await shippingOption("Standard shipping", "standard", false, 5)
  const returns = await shippingOption("Return shipping", "return", true, 0)

  step("products with usd prices and stock")
  const variantIds = []
  for (const p of PRODUCTS) {
    const { product } = await post("/admin/products?fields=id,*variants", {
      title: p.title,
      handle: p.handle,
      status: "published",
      shipping_profile_id: profile.id,
      sales_channels: [{ id: channel.id }],
      options: [{ title: "Size", values: ["One size"] }],
      variants: [
        {
          title: "One size",
          sku: p.sku,
          manage_inventory: true,
          options: { Size: "One size" },
          prices: [{ currency_code: "usd", amount: p.amount }],
        },
      ],
    })
    const variant = product.variants[0]
    variantIds.push(variant.id)
    const { inventory_items: items } = await get(`/admin/inventory-items?sku=${encodeURIComponent(p.sku)}`)
    if (!items.length) throw new Error(`no inventory item for sku ${p.sku}`)
    await post(`/admin/inventory-items/${items[0].id}/location-levels`, {
      location_id: location.id,
      stocked_quantity: STOCK,
    })
  }

  step("api keys (secret + publishable)")
  const { api_key: secret } = await post("/admin/api-keys", { title: "Seller Desk tests", type: "secret" })
  const { api_key: publishable } = await post("/admin/api-keys", { title: "Seller Desk storefront", type: "publishable" })
  await post(`/admin/api-keys/${publishable.id}/sales-channels`, { add: [channel.id] })

  const out = {
    MEDUSA_SECRET_KEY: secret.token,
    MEDUSA_PUBLISHABLE_KEY: publishable.token,
    MEDUSA_REGION_ID: region.id,
    MEDUSA_SALES_CHANNEL_ID: channel.id,
    MEDUSA_STOCK_LOCATION_ID: location.id,
    MEDUSA_SHIPPING_OPTION_ID: standard.id,
    MEDUSA_RETURN_SHIPPING_OPTION_ID: returns.id,
    MEDUSA_VARIANT_IDS: variantIds.join(","),
  }
  for (const [k, v] of Object.entries(out)) {
    if (!v) throw new Error(`seed produced no value for ${k}`)
    process.stdout.write(`${k}=${v}\n`)
  }
}

main().catch((err) => {
  console.error(`seed: FAILED: ${err && err.message ? err.message : err}`)
  process.exit(1)
})
