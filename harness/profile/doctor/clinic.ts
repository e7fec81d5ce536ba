/**
 * Whether clinic doctor can be used here. clinic.js is unmaintained and its doctor does not work
 * on Node ≥ 21.7; it also has to launch the process itself, while the harness profiles an
 * operator that is already running. The answer says why in one plain sentence.
 */
import { createRequire } from "node:module";

export interface ClinicStatus {
  usable: boolean;
  reason: string;
}

function installed(): string | undefined {
  const require = createRequire(import.meta.url);
  for (const pkg of ["@clinic/doctor/package.json", "clinic/package.json"]) {
    try {
      require.resolve(pkg);
      return pkg.replace("/package.json", "");
    } catch {
      // not installed
    }
  }
  return undefined;
}

function atLeast(version: string, major: number, minor: number): boolean {
  const [a = 0, b = 0] = version.split(".").map(Number);
  return a > major || (a === major && b >= minor);
}

export function clinicDoctorStatus(nodeVersion = process.versions.node): ClinicStatus {
  if (atLeast(nodeVersion, 21, 7)) {
    return {
      usable: false,
      reason: `clinic doctor does not work on Node ${nodeVersion} (it is unmaintained and broken on Node ≥ 21.7)`,
    };
  }
  const pkg = installed();
  if (!pkg) return { usable: false, reason: "clinic doctor is not installed" };
  return {
    usable: false,
    reason: `${pkg} is installed, but it must launch the operator itself and the harness profiles a running leader`,
  };
}
