/** Platform names accepted by the Platform API (mParticle's names and ours), mapped to our input platforms. */
const PLATFORM_ALIASES: Record<string, string> = {
  ios: "ios",
  android: "android",
  web: "web",
  mobileweb: "web",
  server: "server",
  data: "server",
  tvos: "tvos",
  roku: "roku",
  alexa: "alexa",
  smarttv: "smarttv",
  firetv: "firetv",
  xbox: "xbox",
};

/** The canonical platform for a name (case-insensitive), or null. */
export function canonicalPlatform(name: string): string | null {
  return PLATFORM_ALIASES[name.toLowerCase()] ?? null;
}
