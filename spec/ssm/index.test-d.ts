// Type tests of aio-lambda-api/ssm and aio-lambda-api/aws, compiled by tsc and never run.

import { SSMClient } from "@aws-sdk/client-ssm";
import * as v from "valibot";
import { annotateAwsErrors, awsClientConfig } from "../../lib/aws/index.js";
import {
  createSsm,
  getParameter,
  getParameters,
  getParametersByPath,
  type ValueOptions,
} from "../../lib/ssm/index.js";

type Equal<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(_proof: Equal<A, B>) => {};

/** Never called: tsc checks the types of every line. */
export async function typeChecks(): Promise<void> {
  same<string, Awaited<ReturnType<typeof getParameter<{ decrypt: false }>>>>(true);
  const plain = await getParameter("/a");
  same<typeof plain, string>(true);
  const list = await getParameter("/a", { list: true });
  same<typeof list, string[]>(true);
  const db = await getParameter("/a", { schema: v.object({ port: v.number() }), maxAge: 60 });
  same<typeof db, { port: number }>(true);
  const unsure = await getParameter("/a", { list: Math.random() > 0.5 });
  same<typeof unsure, string | string[]>(true);
  const empty = await getParameter("/a", {});
  same<typeof empty, string>(true);
  const options: ValueOptions = { maxAge: 5 };
  const loose = await getParameter("/a", options);
  same<typeof loose, string | string[]>(true);

  const many = await getParameters(["/a", "/b"]);
  same<typeof many, Record<"/a" | "/b", string>>(true);
  const some = await getParameters(["/a", "/b"], { allowMissing: true, list: true });
  same<typeof some, Partial<Record<"/a" | "/b", string[]>>>(true);
  const ports = await getParameters(["/a"], { schema: v.number() });
  same<typeof ports, Record<"/a", number>>(true);

  const path = await getParametersByPath("/app/", { recursive: true });
  same<typeof path, Record<string, string>>(true);

  const ssm = createSsm({ client: new SSMClient(awsClientConfig()), maxAge: 10 });
  const own = await ssm.getParameter("/a", { list: true });
  same<typeof own, string[]>(true);

  // @ts-expect-error: a schema must be a valibot schema
  await getParameter("/a", { schema: { parse: () => 1 } });

  const annotated = annotateAwsErrors(new SSMClient({ ...awsClientConfig(), region: "eu-west-1" }));
  same<typeof annotated, SSMClient>(true);
  // @ts-expect-error: only SDK clients have a middleware stack
  annotateAwsErrors({});
}
