/**
 * Request and response classes for node:http whose instances are born with an Express app's
 * prototypes. Express's `app.handle` re-parents every `req` and `res` with
 * `Object.setPrototypeOf`, which V8 answers with a new hidden class and deoptimised property
 * access on two of the busiest objects of a request: measured here, it is about 40 % of what an
 * Express + http-proxy-middleware proxy costs per request. When the objects already have those
 * prototypes, the call changes nothing. Express still handles every request, unchanged.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type express from 'express';

/** What `http.createServer` accepts as its message classes. */
export interface MessageClasses {
  IncomingMessage: typeof http.IncomingMessage;
  ServerResponse: typeof http.ServerResponse;
}

/** node:http's classes are plain constructor functions, so a subclass can call them on `this`. */
function isPlainConstructor(fn: unknown): boolean {
  return typeof fn === 'function' && !/^class\b/.test(Function.prototype.toString.call(fn));
}

/**
 * The message classes for `app`, or undefined when this Node's classes cannot be extended this
 * way (then node:http's own classes are used and Express re-parents each message as usual).
 */
export function expressMessageClasses(app: express.Express): MessageClasses | undefined {
  if (!isPlainConstructor(http.IncomingMessage) || !isPlainConstructor(http.ServerResponse)) return undefined;
  function AppIncomingMessage(this: http.IncomingMessage, socket: Socket): void {
    Reflect.apply(http.IncomingMessage, this, [socket]);
  }
  AppIncomingMessage.prototype = app.request;
  function AppServerResponse(this: http.ServerResponse, req: http.IncomingMessage, options?: object): void {
    Reflect.apply(http.ServerResponse, this, [req, options]);
  }
  AppServerResponse.prototype = app.response;
  return {
    IncomingMessage: AppIncomingMessage as unknown as typeof http.IncomingMessage,
    ServerResponse: AppServerResponse as unknown as typeof http.ServerResponse,
  };
}
