// The three SSM calls the helper makes, each answer turned into plain fetched values.

import {
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  type Parameter,
  type SSMClient,
} from "@aws-sdk/client-ssm";
import type { Fetched } from "./decode.js";
import { notFound } from "./errors.js";

/** GetParameters takes at most 10 names a call. */
export const batchSize = 10;

// The SDK's not-found errors, for a name and for a name with a version or label selector.
const notFoundNames: ReadonlySet<string> = new Set([
  "ParameterNotFound",
  "ParameterVersionNotFound",
]);

function fetched(parameter: Parameter | undefined, asked: string, now: () => number): Fetched {
  if (parameter?.Value === undefined) {
    throw new Error(
      `SSM answered for parameter ${JSON.stringify(asked)} without a value; expected Parameter.Value`,
    );
  }
  return { value: parameter.Value, type: parameter.Type ?? "String", fetchedAt: now() };
}

/** GetParameter; a missing name becomes a `ParameterError` with the SDK error as its cause. */
export async function fetchOne(
  client: SSMClient,
  name: string,
  decrypt: boolean,
  now: () => number,
): Promise<Fetched> {
  try {
    const output = await client.send(
      new GetParameterCommand({ Name: name, WithDecryption: decrypt }),
    );
    return fetched(output.Parameter, name, now);
  } catch (error) {
    if (error instanceof Error && notFoundNames.has(error.name))
      throw notFound([name], undefined, error);
    throw error;
  }
}

/**
 * GetParameters for at most `batchSize` names: a value for each name SSM has, `undefined`
 * for the names in `InvalidParameters` (or absent from the answer).
 */
export async function fetchBatch(
  client: SSMClient,
  names: readonly string[],
  decrypt: boolean,
  now: () => number,
): Promise<Map<string, Fetched | undefined>> {
  const output = await client.send(
    new GetParametersCommand({ Names: [...names], WithDecryption: decrypt }),
  );
  const byName = new Map<string, Parameter>();
  for (const parameter of output.Parameters ?? []) {
    if (parameter.Name === undefined) continue;
    byName.set(parameter.Name, parameter);
    // A name asked with a selector ("/app/key:3", "/app/key:live") comes back as Name + Selector.
    if (parameter.Selector) byName.set(parameter.Name + parameter.Selector, parameter);
    if (parameter.ARN) byName.set(parameter.ARN, parameter);
  }
  const invalid = new Set(output.InvalidParameters ?? []);
  const result = new Map<string, Fetched | undefined>();
  for (const name of names) {
    const parameter = invalid.has(name) ? undefined : byName.get(name);
    result.set(name, parameter === undefined ? undefined : fetched(parameter, name, now));
  }
  return result;
}

/** GetParametersByPath, every page: the values by full parameter name. */
export async function fetchPath(
  client: SSMClient,
  path: string,
  recursive: boolean,
  decrypt: boolean,
  now: () => number,
): Promise<Map<string, Fetched>> {
  const result = new Map<string, Fetched>();
  let token: string | undefined;
  do {
    const output = await client.send(
      new GetParametersByPathCommand({
        Path: path,
        Recursive: recursive,
        WithDecryption: decrypt,
        MaxResults: batchSize,
        NextToken: token,
      }),
    );
    for (const parameter of output.Parameters ?? []) {
      if (parameter.Name !== undefined)
        result.set(parameter.Name, fetched(parameter, parameter.Name, now));
    }
    token = output.NextToken;
  } while (token);
  return result;
}
