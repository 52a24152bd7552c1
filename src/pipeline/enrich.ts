/**
 * Edge enrichment of browser traffic (issue 4): the client IP from the connection (`CF-Connecting-IP`,
 * never from the body), the user agent, geolocation from the request's `cf` object and Global Privacy
 * Control (`Sec-GPC: 1`). Server-to-server batches are not enriched (they keep the body's `ip`).
 */

/** Geolocation of the client, from Cloudflare's `request.cf`. */
export type GeoContext = {
  country?: string;
  region?: string;
  city?: string;
  postal_code?: string;
  latitude?: number;
  longitude?: number;
  timezone?: string;
};

/** What the edge adds to browser traffic. */
export type BrowserContext = { ip?: string; userAgent?: string; gpc: boolean; geo?: GeoContext };

/** The headers and `cf` object of a request, as far as enrichment reads them. */
export type RequestFacts = { header: (name: string) => string | undefined | null; cf?: unknown };

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
}

function coord(v: unknown, limit: number): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) && Math.abs(n) <= limit ? n : undefined;
}

/** Geolocation fields of a `cf` object (Cloudflare gives latitude/longitude as strings); undefined when none. */
export function geoFromCf(cf: unknown): GeoContext | undefined {
  if (!cf || typeof cf !== "object") return undefined;
  const o = cf as Record<string, unknown>;
  const geo: GeoContext = {};
  const country = str(o.country);
  // "T1" is Tor, "XX" unknown: not a country.
  if (country && country !== "T1" && country !== "XX") geo.country = country;
  const region = str(o.regionCode) ?? str(o.region);
  if (region) geo.region = region;
  const city = str(o.city);
  if (city) geo.city = city;
  const postal = str(o.postalCode);
  if (postal) geo.postal_code = postal;
  const lat = coord(o.latitude, 90);
  const lon = coord(o.longitude, 180);
  if (lat !== undefined && lon !== undefined) {
    geo.latitude = lat;
    geo.longitude = lon;
  }
  const tz = str(o.timezone);
  if (tz) geo.timezone = tz;
  return Object.keys(geo).length ? geo : undefined;
}

/** The browser context of a request: `CF-Connecting-IP`, `User-Agent`, `Sec-GPC` and `cf` geolocation. */
export function browserContextOf(req: RequestFacts): BrowserContext {
  const ip = str(req.header("cf-connecting-ip"));
  const userAgent = str(req.header("user-agent"));
  const gpc = str(req.header("sec-gpc")) === "1";
  const geo = geoFromCf(req.cf);
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}), gpc, ...(geo ? { geo } : {}) };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `location_source` of a location derived from the client IP (mparticle-api.md §2.2: `unknown`, `ip_lookup`, `lat_long`). */
export const IP_LOCATION_SOURCE = "ip_lookup";

/**
 * A batch location (mparticle-api.md §2.11, `context.location`) from the edge geolocation, or undefined.
 * The location schema requires latitude and longitude (§2.2): without both there is no location, and the
 * country, region, city and postal code alone are not kept (no other batch field holds the client's geography).
 */
export function locationFromGeo(geo: GeoContext | undefined): Record<string, unknown> | undefined {
  if (geo?.latitude === undefined || geo.longitude === undefined) return undefined;
  const loc: Record<string, unknown> = { latitude: geo.latitude, longitude: geo.longitude };
  if (geo.country) loc.country_code = geo.country;
  if (geo.region) loc.region_code = geo.region;
  if (geo.city) loc.city_name = geo.city;
  if (geo.postal_code) loc.postal_code = geo.postal_code;
  if (geo.timezone) loc.time_zone = geo.timezone;
  loc.location_source = IP_LOCATION_SOURCE;
  return loc;
}

/**
 * Applies the enrichment to a browser batch in place:
 * - `ip` = the connection's IP (a body `ip` is replaced, or removed when the connection's is unknown);
 * - `device_info.http_header_user_agent` = the request's User-Agent when the batch has none;
 * - `context.location` = the edge geolocation (when it has latitude and longitude) when the batch has no
 *   location of its own (neither `context.location` nor a location on any event).
 */
export function enrichBatch(batch: Record<string, unknown>, ctx: BrowserContext): void {
  if (ctx.ip) batch.ip = ctx.ip;
  else delete batch.ip;

  if (ctx.userAgent) {
    const di = isObject(batch.device_info) ? batch.device_info : {};
    if (typeof di.http_header_user_agent !== "string" || di.http_header_user_agent === "") {
      batch.device_info = { ...di, http_header_user_agent: ctx.userAgent };
    }
  }

  const loc = locationFromGeo(ctx.geo);
  if (loc) {
    const context = isObject(batch.context) ? batch.context : {};
    const events = Array.isArray(batch.events) ? (batch.events as unknown[]) : [];
    const eventHasLocation = events.some((e) => isObject(e) && isObject(e.data) && isObject(e.data.location));
    if (!isObject(context.location) && !eventHasLocation) batch.context = { ...context, location: loc };
  }
}
