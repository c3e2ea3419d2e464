import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

/** The repository root (layer source folders are relative to it). */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** Runs a command in a folder (injectable for tests). */
export type CommandRunner = (command: string, args: string[], cwd: string) => void;

/** The default runner: `npm` through child_process, output inherited, fails loudly. */
export const execRunner: CommandRunner = (command, args, cwd) => {
    execFileSync(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"], env: { ...process.env, npm_config_update_notifier: "false" } });
};

/** The exact install command: reproducible from the lockfile, production dependencies only, no install scripts. */
export const NPM_CI_ARGS = ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"];

/** Options of {@link buildLayerArchive}. */
export interface LayerBuildOptions {
    /**
     * Run `npm ci` into the build folder. False under the test mock and the offline
     * plan: the archive then holds only the manifests (nothing is uploaded anyway).
     */
    install: boolean;
    /** Where build folders go (default: `<tmpdir>/awsarch-layers`). */
    buildRoot?: string;
    /** Command runner (default {@link execRunner}). */
    runner?: CommandRunner;
}

/** What {@link buildLayerArchive} produced. */
export interface LayerBuild {
    /** Folder whose content is the layer (`nodejs/package.json`, `nodejs/node_modules/...`). */
    dir: string;
    /** Hash of package.json + package-lock.json: the build folder is reused while it does not change. */
    hash: string;
    /** The archive to publish. */
    archive: pulumi.asset.Archive;
    /** True when dependencies were installed (now or by an earlier run with the same hash). */
    installed: boolean;
}

/** Environment variable that turns the layer dependency install off (offline plan, tests). */
export const OFFLINE_BUILD_ENV = "AWSARCH_OFFLINE_BUILD";

/**
 * True when dependencies must not be installed: the offline plan and the test
 * harness set `AWSARCH_OFFLINE_BUILD=1` (no network, no child processes, nothing
 * is uploaded). `pulumi preview` / `pulumi up` install from the lockfile.
 */
export function offlineBuild(env: NodeJS.ProcessEnv = process.env): boolean {
    return env[OFFLINE_BUILD_ENV] === "1";
}

/**
 * Builds a Node.js layer from `sourceDir` (relative to the project root):
 * copies `package.json` and `package-lock.json` to `<buildRoot>/<name>-<hash>/nodejs/`
 * and runs `npm ci --omit=dev --ignore-scripts` there, so the archive has the
 * layout Lambda expects (`nodejs/node_modules`). The lockfile is required: the
 * same commit always yields the same dependency tree. A finished build folder is
 * reused (marker file), an interrupted one is redone.
 */
export function buildLayerArchive(sourceDir: string, options: LayerBuildOptions): LayerBuild {
    const src = path.resolve(PROJECT_ROOT, sourceDir);
    const manifest = path.join(src, "package.json");
    const lock = path.join(src, "package-lock.json");
    if (!fs.existsSync(manifest)) {
        throw new Error(`layer source ${sourceDir}: package.json not found`);
    }
    if (!fs.existsSync(lock)) {
        throw new Error(`layer source ${sourceDir}: package-lock.json not found (run "npm install --package-lock-only" in ${sourceDir} and commit it)`);
    }
    const manifestText = fs.readFileSync(manifest);
    const lockText = fs.readFileSync(lock);
    const hash = crypto.createHash("sha256").update(manifestText).update("\0").update(lockText).digest("hex").slice(0, 16);
    const root = options.buildRoot ?? path.join(os.tmpdir(), "awsarch-layers");
    const dir = path.join(root, `${path.basename(src)}-${hash}`);
    const nodejs = path.join(dir, "nodejs");
    const marker = path.join(dir, ".complete");
    let installed = fs.existsSync(marker);
    if (options.install && !installed) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(nodejs, { recursive: true });
        fs.writeFileSync(path.join(nodejs, "package.json"), manifestText);
        fs.writeFileSync(path.join(nodejs, "package-lock.json"), lockText);
        (options.runner ?? execRunner)("npm", NPM_CI_ARGS, nodejs);
        fs.writeFileSync(marker, new Date().toISOString());
        installed = true;
    } else if (!installed) {
        fs.mkdirSync(nodejs, { recursive: true });
        fs.writeFileSync(path.join(nodejs, "package.json"), manifestText);
        fs.writeFileSync(path.join(nodejs, "package-lock.json"), lockText);
    }
    // Only nodejs/ goes into the zip (the marker stays out).
    const archive = new pulumi.asset.AssetArchive({ nodejs: new pulumi.asset.FileArchive(nodejs) });
    return { dir, hash, archive, installed };
}
