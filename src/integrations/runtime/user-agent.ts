/** A small user-agent parser (browser, OS, device) for partners that want them from web batches. */

export type UserAgentInfo = { browser?: string; browserVersion?: string; os?: string; osVersion?: string; deviceBrand?: string; deviceModel?: string };

// Order matters: Edge and Opera and Samsung carry "Chrome"; Chrome carries "Safari".
const BROWSERS: [string, RegExp][] = [
  ["Microsoft Edge", /Edg(?:e|A|iOS)?\/([\d.]+)/],
  ["Opera", /(?:OPR|Opera)\/([\d.]+)/],
  ["Samsung Internet", /SamsungBrowser\/([\d.]+)/],
  ["Firefox", /(?:Firefox|FxiOS)\/([\d.]+)/],
  ["Chrome", /(?:Chrome|CriOS)\/([\d.]+)/],
  ["Mobile Safari", /Version\/([\d.]+).*Mobile.*Safari/],
  ["Safari", /Version\/([\d.]+).*Safari/],
  ["Internet Explorer", /(?:MSIE |Trident\/.*rv:)([\d.]+)/],
];

const OSES: [string, RegExp, ((m: RegExpMatchArray) => string | undefined)?][] = [
  ["Windows", /Windows NT ([\d.]+)/, (m) => ({ "10.0": "10", "6.3": "8.1", "6.2": "8", "6.1": "7" })[m[1]!] ?? m[1]],
  ["iOS", /(?:iPhone|iPad|iPod).*? OS ([\d_]+)/, (m) => m[1]!.replace(/_/g, ".")],
  ["Android", /Android ([\d.]+)/],
  ["Chrome OS", /CrOS [^ ]+ ([\d.]+)/],
  ["Mac OS X", /Mac OS X ([\d_.]+)/, (m) => m[1]!.replace(/_/g, ".")],
  ["Linux", /Linux/, () => undefined],
];

/** Parses a user agent; fields it cannot determine are absent. */
export function parseUserAgent(ua: string | undefined): UserAgentInfo {
  if (!ua) return {};
  const info: UserAgentInfo = {};
  for (const [name, re] of BROWSERS) {
    const m = ua.match(re);
    if (m) {
      info.browser = name;
      info.browserVersion = m[1];
      break;
    }
  }
  for (const [name, re, version] of OSES) {
    const m = ua.match(re);
    if (m) {
      info.os = name;
      const v = version ? version(m) : m[1];
      if (v) info.osVersion = v;
      break;
    }
  }
  const apple = ua.match(/\((iPhone|iPad|iPod|Macintosh)/);
  if (apple) {
    info.deviceBrand = "Apple";
    info.deviceModel = apple[1];
  } else {
    const android = ua.match(/Android [\d.]+; (?:[a-z]{2}[-_][A-Za-z]{2}; )?([^;)]+?)(?: Build\/[^;)]*)?\)/);
    if (android && android[1] !== "K") info.deviceModel = android[1]!.trim();
  }
  return info;
}
