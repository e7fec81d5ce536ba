/** Where the repository's own files are, independent of the working directory. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const FIXTURES_DIR = join(REPO_ROOT, "fixtures");
export const CRDS_DIR = join(FIXTURES_DIR, "crds");
export const RBAC_DIR = join(FIXTURES_DIR, "rbac");
export const REPORTS_DIR = join(REPO_ROOT, "reports");
export const SCENARIOS_DIR = join(REPO_ROOT, "scenarios");
