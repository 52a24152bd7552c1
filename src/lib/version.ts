/** The version of this build: package.json's, bundled at build time. */
import pkg from "../../package.json";

export const VERSION: string = pkg.version;
