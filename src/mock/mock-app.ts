/** The Express application of a contract mock: parse, validate against the contract, answer from examples or schemas. */
import express, { type NextFunction, type Request, type Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { OpenApiRequest } from 'express-openapi-validator/dist/framework/types.js';
import { writeProblem } from '../errors/problem.js';
import { requestIdFrom } from '../gateway/edge/request-identity.js';
import type { MockContract } from './mock-contract.js';
import { chooseResponse } from './choose-response.js';
import { parsePreferHeader } from './prefer-header.js';
import { formShapesOf, typeFormBodies } from './form-typing.js';
import { problemFromError, type RequestLine } from './problem-from-error.js';
import type { MockOperation } from './response-plan.js';

/** Where the mock writes its one line per request and its remarks. */
export type MockLog = (line: string) => void;

/** Bodies larger than this are refused with 413; a mock has no reason to accept more than the gateway does. */
const BODY_LIMIT = '1mb';

function isJson(contentType: string): boolean {
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

function requestLine(req: Request): RequestLine {
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  return { method: req.method, path: req.path, contentType: req.headers['content-type'], hasBody };
}

/** Builds the application; every operation's answers were prepared when the contract was loaded. */
export function createMockApp(contract: MockContract, log: MockLog): express.Express {
  const operations = new Map<string, MockOperation>(contract.operations.map((op) => [`${op.method} ${op.path}`, op]));
  // As the gateway, HEAD is answered by the GET operation when the contract declares no HEAD.
  const declaresHead = contract.operations.some((op) => op.method === 'HEAD');
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    const started = process.hrtime.bigint();
    const method = req.method;
    // node:http already knows the response to a HEAD has no body; the validator sees GET.
    if (method === 'HEAD' && !declaresHead) req.method = 'GET';
    // 'close' rather than 'finish': a request whose client went away still gets its line.
    res.on('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const operation = (req as OpenApiRequest).openapi?.schema?.operationId ?? '-';
      log(`${new Date().toISOString()} ${method} ${req.originalUrl} ${res.statusCode} ${operation} ${String(res.locals.mockSource ?? 'problem')} ${ms.toFixed(1)}ms`);
    });
    next();
  });
  app.use(express.json({ type: ['application/json', 'application/*+json'], limit: BODY_LIMIT }));
  app.use(express.text({ type: ['text/*'], limit: BODY_LIMIT }));
  // qs (`extended`) reads `metadata[order_id]=…` and `expand[]=…` into objects and arrays, as
  // contracts with `deepObject` form encodings (Stripe's) mean them.
  app.use(express.urlencoded({ extended: true, limit: BODY_LIMIT }));
  const validator = OpenApiValidator.middleware({
    apiSpec: contract.document as never,
    validateApiSpec: false,
    validateRequests: { allErrors: true, allowUnknownQueryParameters: false },
    // Examples that contradict their own schema are the contract author's to fix: say so, but answer.
    validateResponses: {
      allErrors: true,
      onError: (error, _body, req) => log(`mock: the ${(req as OpenApiRequest).openapi?.schema?.operationId ?? req.path} response does not match the contract: ${error.message}`),
    },
    // Authentication is the gateway's job; a partner calling the mock directly may send any token.
    validateSecurity: false,
  });
  // Form fields arrive as text: type them per the schema once the route is known, before the
  // request is checked (the validator's own coercion would also accept "5" in JSON bodies).
  const checkRequest = validator.findIndex((step) => step.name === 'requestMiddleware');
  if (checkRequest < 0) throw new TypeError('express-openapi-validator has no requestMiddleware step to type form bodies before');
  validator.splice(checkRequest, 0, typeFormBodies(formShapesOf(contract.document, contract.is30)));
  app.use(validator);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const route = (req as OpenApiRequest).openapi?.openApiRoute;
    const operation = route === undefined ? undefined : operations.get(`${req.method} ${route}`);
    if (!operation) {
      next(Object.assign(new Error('not found'), { status: 404 }));
      return;
    }
    const answer = chooseResponse(operation, parsePreferHeader(req.headers.prefer), req.headers.accept);
    res.locals.mockSource = answer.source;
    res.status(answer.status);
    for (const header of answer.headers) res.setHeader(header.name, header.value);
    if (answer.body === undefined) {
      if (answer.contentType) res.setHeader('content-type', answer.contentType);
      res.end();
    } else if (answer.contentType && isJson(answer.contentType)) {
      res.setHeader('content-type', answer.contentType);
      res.json(answer.body);
    } else {
      res.setHeader('content-type', answer.contentType ?? 'text/plain');
      res.send(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    }
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const problem = problemFromError(error, requestLine(req));
    if (problem.status >= 500) log(`mock: ${req.method} ${req.path}: ${problem.message}`);
    writeProblem(res, problem, String(res.locals.requestId));
  });
  return app;
}
