// aio-lambda-api/testing: run requests through an Api without AWS, in users' own tests.

export { type InjectRequest, type InjectResult, inject } from "../inject.js";
