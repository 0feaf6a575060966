// What every client script shares: the settings from the environment, one dynamics-web-api client made from them,
// and `step`, which runs one checked step, prints "ok   <name>" and ends the process with status 1 at the first
// failure.
//
// Environment:
//   FLOWBIN_URL      server root, e.g. http://127.0.0.1:8080/ (the client appends api/data/v9.2/)
//   FLOWBIN_TOKEN    bearer token of the user the script acts as
//   FLOW_SESSION_ID  id of an existing flowsession the new rows belong to

import assert from "node:assert/strict";

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const COLLECTION = "flowsessionbinaries";

export function requiredEnv(name) {
    const value = process.env[name];
    if (!value) {
        console.error(`FAIL: environment variable ${name} is not set`);
        process.exit(2);
    }
    return value;
}

const { DynamicsWebApi } = await import("dynamics-web-api").catch((error) => {
    console.error(`FAIL: cannot load dynamics-web-api (run npm ci in src/test/node): ${error.message}`);
    process.exit(2);
});

export const serverUrl = requiredEnv("FLOWBIN_URL");
export const token = requiredEnv("FLOWBIN_TOKEN");
export const flowSessionId = requiredEnv("FLOW_SESSION_ID");

/** A client acting as the user of the given bearer token. */
export function clientFor(bearer) {
    return new DynamicsWebApi({
        serverUrl,
        dataApi: { version: "9.2" },
        onTokenRefresh: async () => bearer,
    });
}

export const client = clientFor(token);

export const sessionBind = { "flowsessionid@odata.bind": `/flowsessions(${flowSessionId})` };

export async function step(name, action) {
    try {
        await action();
        console.log(`ok   ${name}`);
    } catch (error) {
        console.error(`FAIL ${name}: ${describe(error)}`);
        process.exit(1);
    }
}

export function describe(error) {
    if (error instanceof assert.AssertionError) {
        return error.message;
    }
    if (Array.isArray(error)) {
        return "batch errors: " + error.map(describe).join("; ");
    }
    const parts = [error?.message || error?.error?.message || String(error)];
    if (error?.status !== undefined) parts.push(`status=${error.status}`);
    if (error?.code !== undefined) parts.push(`code=${error.code}`);
    return parts.join(" ");
}
