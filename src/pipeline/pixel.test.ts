import { describe, expect, it } from "vitest";
import { parseBatch } from "../schema/batch";
import { pixelHit } from "./pixel";
import { listParam, rawQuery } from "./pixel-query";

const NOW = 1_760_000_000_000;

function ok(search: string): Record<string, any> {
  const hit = pixelHit(search, NOW);
  if (!hit.ok) throw new Error(`expected a batch, got ${JSON.stringify(hit.errors)}`);
  return hit.batch;
}

function error(search: string): string {
  const hit = pixelHit(search, NOW);
  if (hit.ok) throw new Error(`expected an error, got ${JSON.stringify(hit.batch)}`);
  expect(hit.errors[0]!.code).toBe("BAD_REQUEST");
  return hit.errors.map((e) => e.message).join("; ");
}

const AMP_EMPTY = "amp_id=amp-XyZ&attrs_k=&attrs_v=&ua_k=&ua_v=&ui_t=&ui_v=&flags_k=&flags_v=&ct=1760000001234&dbg=false&lc=&av=";

describe("pixel hit → batch", () => {
  it("turns the documentation's example into a development custom event of type unknown", () => {
    const b = ok("ct=1760000005000&dbg=true&n=Custom%20Pixel%20Event&dt=AppEvent&et=Unknown");
    expect(b).toEqual({
      environment: "development",
      device_info: { platform: "web" },
      events: [{ event_type: "custom_event", data: { event_name: "Custom Pixel Event", custom_event_type: "unknown", timestamp_unixtime_ms: 1760000005000 } }],
    });
    expect(parseBatch(b).ok).toBe(true);
  });

  it("turns an AMP page view (every variable sent, unset ones empty) into a production screen view with page attributes", () => {
    const b = ok(`dt=ScreenView&n=Home&hn=https%3A%2F%2Fshop.example%2Fa%3Fx%3D1&ttl=Shop%20%26%20more&path=%2Fa&et=Unknown&${AMP_EMPTY}`);
    expect(b).toEqual({
      environment: "production",
      device_info: { platform: "web", amp_id: "amp-XyZ" },
      events: [
        {
          event_type: "screen_view",
          data: { screen_name: "Home", timestamp_unixtime_ms: 1760000001234, custom_attributes: { hostname: "https://shop.example/a?x=1", title: "Shop & more", path: "/a" } },
        },
      ],
    });
  });

  it("reads AMP's event example: comma-joined lists whose entries carry encoded commas, location, app version", () => {
    const enc = (a: string[]) => a.map(encodeURIComponent).join(",");
    const b = ok(
      [
        "dt=AppEvent",
        `n=${encodeURIComponent("AMP Test 1 button clicked")}`,
        "et=Unknown",
        `attrs_k=${enc(["test key1", "test key2"])}`,
        `attrs_v=${enc(["test value1", "test value2"])}`,
        `ua_k=${enc(["test user attr key1", "test user attr key2"])}`,
        `ua_v=${enc(["test user attr value1", "test user attr value2"])}`,
        `ui_t=${enc(["facebook", "twitter"])}`,
        `ui_v=${enc(["example@facebook.com", "@example"])}`,
        "dbg=true",
        `lc=${enc(["26.4619396", "-80.0691996"])}`,
        `flags_k=${enc(["custom flag1", "custom flag2"])}`,
        `flags_v=${enc(["[100, 200]", "[test val1, test val2]"])}`,
        "av=1.0",
        "amp_id=amp-1",
        "ct=1760000000999",
      ].join("&"),
    );
    expect(b.environment).toBe("development");
    expect(b.application_info).toEqual({ application_version: "1.0" });
    expect(b.user_identities).toEqual({ facebook: "example@facebook.com", twitter: "@example" });
    expect(b.user_attributes).toEqual({ "test user attr key1": "test user attr value1", "test user attr key2": "test user attr value2" });
    const d = b.events[0].data;
    expect(d.custom_attributes).toEqual({ "test key1": "test value1", "test key2": "test value2" });
    expect(d.custom_flags).toEqual({ "custom flag1": "[100, 200]", "custom flag2": "[test val1, test val2]" });
    expect(d.location).toEqual({ latitude: 26.4619396, longitude: -80.0691996, location_source: "lat_long" });
    expect(d.custom_event_type).toBe("unknown");
  });

  it("reads the three list encodings alike: repeated, comma-joined and JSON array", () => {
    const base = "dt=AppEvent&n=E&ct=1760000000000";
    const repeated = ok(`${base}&attrs_k=a&attrs_k=b&attrs_v=1&attrs_v=x%2Cy&ui_t=email&ui_t=customerid&ui_v=j%40x.io&ui_v=c1`);
    const comma = ok(`${base}&attrs_k=a,b&attrs_v=1,x%2Cy&ui_t=email,customerid&ui_v=j%40x.io,c1`);
    const json = ok(`${base}&attrs_k=${encodeURIComponent('["a","b"]')}&attrs_v=${encodeURIComponent('["1","x,y"]')}&ui_t=["email","customerid"]&ui_v=["j@x.io","c1"]`);
    for (const b of [repeated, comma, json]) {
      expect(b.events[0].data.custom_attributes).toEqual({ a: "1", b: "x,y" });
      expect(b.user_identities).toEqual({ email: "j@x.io", customer_id: "c1" });
    }
    expect(comma).toEqual(repeated);
    expect(json).toEqual(repeated);
  });

  it("keeps JSON types in the JSON form, user attribute lists included", () => {
    const b = ok(`dt=AppEvent&n=E&attrs_k=["n","b","z"]&attrs_v=[3,true,null]&ua_k=["tags","age"]&ua_v=${encodeURIComponent('[["a","b"],42]')}`);
    expect(b.events[0].data.custom_attributes).toEqual({ n: 3, b: true, z: null });
    expect(b.user_attributes).toEqual({ tags: ["a", "b"], age: 42 });
  });

  it("takes a single value that is itself JSON-array text when it is wrapped in a JSON array", () => {
    expect(listParam(rawQuery("flags_v=[1,2]"), "flags_v")).toEqual([1, 2]);
    expect(listParam(rawQuery(`flags_v=${encodeURIComponent('["[1,2]"]')}`), "flags_v")).toEqual(["[1,2]"]);
    // A repeated parameter is taken literally, brackets and commas included.
    expect(listParam(rawQuery("flags_v=[1,2]&flags_v=a,b"), "flags_v")).toEqual(["[1,2]", "a,b"]);
  });

  it("maps et names (any case or spelling) and Web SDK EventType numbers; defaults to other", () => {
    const t = (et: string) => ok(`dt=AppEvent&n=E&et=${et}`).events[0].data.custom_event_type;
    expect(["UserContent", "user_content", "USERCONTENT", "5"].map(t)).toEqual(Array(4).fill("user_content"));
    expect(["0", "1", "2", "3", "4", "6", "7", "8", "9"].map(t)).toEqual(["unknown", "navigation", "location", "search", "transaction", "user_preference", "social", "other", "media"]);
    expect(t("Navigation")).toBe("navigation");
    expect(ok("dt=AppEvent&n=E").events[0].data.custom_event_type).toBe("other");
    expect(ok("dt=AppEvent&n=E&et=").events[0].data.custom_event_type).toBe("other");
    expect(error("dt=AppEvent&n=E&et=10")).toMatch(/"et" must be a Web SDK EventType/);
    expect(error("dt=AppEvent&n=E&et=Click")).toMatch(/"et".*"Click"/);
    // A page view ignores et (AMP sends et=Unknown with page views).
    expect(ok("dt=screenview&n=P&et=whatever").events[0]).toEqual({ event_type: "screen_view", data: { screen_name: "P", timestamp_unixtime_ms: NOW } });
  });

  it("maps identity type names of every vocabulary and Web SDK IdentityType numbers to batch keys", () => {
    const ids = (types: string[]) =>
      ok(`dt=AppEvent&n=E&ui_t=${types.map(encodeURIComponent).join(",")}&ui_v=${types.map((_, i) => `v${i}`).join(",")}`).user_identities;
    expect(ids(["email", "customerid", "other2", "Other10", "mobile_number", "facebookcustomaudienceid", "phone_number_3", "google", "microsoft", "yahoo", "other"])).toEqual({
      email: "v0", customer_id: "v1", other_id_2: "v2", other_id_10: "v3", mobile_number: "v4", facebook_custom_audience_id: "v5", phone_number_3: "v6", google: "v7", microsoft: "v8", yahoo: "v9", other: "v10",
    });
    expect(ids(["CustomerId", "other_id_3", "MobileNumber", "twitter"])).toEqual({ customer_id: "v0", other_id_3: "v1", mobile_number: "v2", twitter: "v3" });
    expect(ids(["7", "1", "0", "10", "18", "19", "21"])).toEqual({ email: "v0", customer_id: "v1", other: "v2", other_id_2: "v3", other_id_10: "v4", mobile_number: "v5", phone_number_3: "v6" });
    expect(error("dt=AppEvent&n=E&ui_t=ios_idfa&ui_v=x")).toMatch(/ui_t\[0\]: unknown identity type "ios_idfa"/);
    expect(error("dt=AppEvent&n=E&ui_t=22&ui_v=x")).toMatch(/unknown identity type/);
    expect(error("dt=AppEvent&n=E&ui_t=email,7&ui_v=a,b")).toMatch(/email more than once/);
  });

  it("sets mpid, das, app version and consent state; + is a space", () => {
    const consent = { gdpr: { marketing: { consented: true, timestamp_unixtime_ms: 1, document: "v2" } }, ccpa: { data_sale_opt_out: { consented: false, timestamp_unixtime_ms: 2 } } };
    const b = ok(`dt=AppEvent&n=Signed+up&mpid=-42&das=das-1&av=2.1&consent_state=${encodeURIComponent(JSON.stringify(consent))}`);
    expect(b).toMatchObject({ mpid: "-42", mp_deviceid: "das-1", application_info: { application_version: "2.1" }, consent_state: consent });
    expect(b.events[0].data.event_name).toBe("Signed up");
  });

  it("accepts the same single-valued parameter repeated with the same value, not with different ones", () => {
    expect(ok("dt=AppEvent&n=E&n=E").events[0].data.event_name).toBe("E");
    expect(error("dt=AppEvent&n=A&n=B")).toMatch(/"n" is given 2 times with different values/);
  });

  it.each([
    ["missing n", "dt=AppEvent", /"n" \(the event or page name\) is required/],
    ["blank n", "dt=AppEvent&n=%20%20", /"n" .* is required/],
    ["missing dt", "n=E", /"dt" is required/],
    ["unknown dt", "dt=Commerce&n=E", /"dt" must be AppEvent or ScreenView; got "Commerce"/],
    ["unequal lists", "dt=AppEvent&n=E&attrs_k=a,b&attrs_v=1", /"attrs_k" and "attrs_v" must have the same number of entries \(2 and 1\)/],
    ["values without keys", "dt=AppEvent&n=E&ua_v=x", /"ua_k" and "ua_v" .* \(0 and 1\)/],
    ["empty key", "dt=AppEvent&n=E&flags_k=a,&flags_v=1,2", /flags_k\[1\] must be a non-empty string/],
    ["object attribute value", `dt=AppEvent&n=E&attrs_k=["a"]&attrs_v=${encodeURIComponent('[{"x":1}]')}`, /attrs_v\[0\] must be a string/],
    ["ct not a number", "dt=AppEvent&n=E&ct=yesterday", /"ct" must be a Unix time in milliseconds/],
    ["ct in seconds", "dt=AppEvent&n=E&ct=1760000000", /looks like seconds/],
    ["ct negative", "dt=AppEvent&n=E&ct=-5", /"ct" must be a Unix time/],
    ["dbg not boolean", "dt=AppEvent&n=E&dbg=maybe", /"dbg" must be true or false/],
    ["bad consent JSON", "dt=AppEvent&n=E&consent_state=%7Bgdpr", /"consent_state" must be a JSON object: /],
    ["consent not an object", "dt=AppEvent&n=E&consent_state=%5B%5D", /"consent_state" must be a JSON object\./],
    ["consent without decision", `dt=AppEvent&n=E&consent_state=${encodeURIComponent('{"gdpr":{"m":{"document":"x"}}}')}`, /consent_state\.gdpr\.m\.consented: Required consent field "consented"/],
    ["lc latitude out of range", "dt=AppEvent&n=E&lc=91,0", /"lc" must be "latitude,longitude"/],
    ["lc one number", "dt=AppEvent&n=E&lc=45", /"lc" must be/],
    ["lc three numbers", "dt=AppEvent&n=E&lc=1,2,3", /"lc" must be/],
    ["lc words", "dt=AppEvent&n=E&lc=north,east", /"lc" must be/],
    ["bad mpid", "dt=AppEvent&n=E&mpid=abc", /mpid: MPID must be a signed 64-bit integer/],
    ["malformed percent-encoding", "dt=AppEvent&n=%E0%A4%A", /"n" has malformed percent-encoding/],
    ["malformed name encoding", "dt=AppEvent&n=E&%ZZ=1", /malformed percent-encoding/],
  ])("rejects %s with a clear message", (_name, search, message) => {
    expect(error(search)).toMatch(message);
  });

  it("accepts lc in bracket form and ignores unknown parameters (cache busters)", () => {
    const b = ok("dt=AppEvent&n=E&lc=%5B-33.86,151.2%5D&_=123&cb=x");
    expect(b.events[0].data.location).toEqual({ latitude: -33.86, longitude: 151.2, location_source: "lat_long" });
    expect(Object.keys(b)).not.toContain("_");
  });

  it("never throws on garbage query strings", () => {
    const samples = ["", "&&&", "=", "==&=", "%", "%%%", "dt", "dt=AppEvent&n", "n=%00&dt=AppEvent", "dt=AppEvent&n=E&attrs_k=[", "dt=AppEvent&n=E&attrs_k=[1,&attrs_v=", "dt=AppEvent&n=E&ui_t=[null]&ui_v=[1]", "dt=AppEvent&n=E&ua_k=__proto__&ua_v=x", "dt=AppEvent&n=E&attrs_k=constructor&attrs_v=1", "\u0000\uffff", "dt=AppEvent&n=E&ct=99999999999999999999", "dt=AppEvent&n=E&mpid=99999999999999999999"];
    for (let i = 0; i < 200; i++) samples.push(Array.from({ length: 40 }, () => String.fromCharCode(Math.floor(Math.random() * 128))).join(""));
    for (const s of samples) expect(() => pixelHit(s, NOW)).not.toThrow();
  });

  it("does not let a __proto__ key change the prototype of the attribute maps", () => {
    const b = ok("dt=AppEvent&n=E&ua_k=__proto__&ua_v=x&attrs_k=__proto__&attrs_v=y");
    expect(Object.getPrototypeOf(b.events[0].data.custom_attributes)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});
