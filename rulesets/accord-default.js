// GENERATED FILE, DO NOT EDIT. Source: rulesets/accord.yaml, migrated by Spectral's ruleset migrator.
// Regenerate: npm run docs:rules (test/unit/lint-default-ruleset.test.ts fails when this file is out of date).
//
// `accord lint` and `accord check` load the default ruleset from this module, so that they need not
// bundle accord.yaml with Rollup on every run (a third of a second before any contract is read).
// A ruleset of your own extends accord.yaml, as before.
import {pattern} from "@stoplight/spectral-functions";
import oasModule from "@stoplight/spectral-rulesets/dist/oas/index.js";
const oas = oasModule.default;
import accorddiffchecks_js from "./accord-diff-checks.js";
import infoversion from "./functions/info-version.js";
import nosensitivequeryparams from "./functions/no-sensitive-query-params.js";
import oauth2scopesdefined from "./functions/oauth2-scopes-defined.js";
import operationidunique from "./functions/operation-id-unique.js";
import operationsecuritydeclared from "./functions/operation-security-declared.js";
import pathkebabcase from "./functions/path-kebab-case.js";
import pathnoverbs from "./functions/path-no-verbs.js";
import patternlineartime from "./functions/pattern-linear-time.js";
import problemjsonerrors from "./functions/problem-json-errors.js";
import requestbodyschema from "./functions/request-body-schema.js";
import servershttps from "./functions/servers-https.js";
import successresponseschema from "./functions/success-response-schema.js";
export default {
  "extends": [[oas, "recommended"], accorddiffchecks_js],
  "aliases": {
    "Operation": ["$.paths[*][get,put,post,delete,options,head,patch,trace]"],
    "PathKey": ["$.paths.*~"]
  },
  "rules": {
    "operation-operationId": "off",
    "operation-operationId-unique": "off",
    "path-keys-no-trailing-slash": "off",
    "accord-operation-id-unique": {
      "description": "Every operation has an operationId, unique in the document.",
      "message": "{{error}}",
      "severity": "error",
      "given": "$.paths",
      "then": {
        "function": operationidunique
      }
    },
    "accord-operation-security-declared": {
      "description": "Every operation declares security, or the document declares a global one (security [] marks a public operation).",
      "message": "{{error}}",
      "severity": "error",
      "given": "$",
      "then": {
        "function": operationsecuritydeclared
      }
    },
    "accord-oauth2-scopes-defined": {
      "description": "Every scope a security requirement asks of an OAuth2 scheme is defined in that scheme's flows.",
      "message": "{{error}}",
      "severity": "error",
      "given": "$",
      "then": {
        "function": oauth2scopesdefined
      }
    },
    "accord-problem-json-errors": {
      "description": "4xx and 5xx responses offer application/problem+json (RFC 9457).",
      "message": "{{error}}",
      "severity": "warn",
      "given": "#Operation.responses",
      "then": {
        "function": problemjsonerrors
      }
    },
    "accord-info-version-semver": {
      "description": "info.version is a semantic version (MAJOR.MINOR.PATCH), or another accepted form (functionOptions accept [semver, date, major-minor]).",
      "message": "{{error}}",
      "severity": "error",
      "given": "$.info",
      "then": {
        "field": "version",
        "function": infoversion,
        "functionOptions": {
          "accept": ["semver"]
        }
      }
    },
    "accord-request-body-schema": {
      "description": "Every media type of a request body has a schema.",
      "message": "{{error}}",
      "severity": "error",
      "given": "#Operation.requestBody",
      "then": {
        "function": requestbodyschema
      }
    },
    "accord-success-response-schema": {
      "description": "Every 2xx response except 204 and 205 declares content with a schema.",
      "message": "{{error}}",
      "severity": "warn",
      "given": "#Operation.responses",
      "then": {
        "function": successresponseschema
      }
    },
    "accord-path-kebab-case": {
      "description": "Literal path segments are kebab-case (path parameters excluded).",
      "message": "{{error}}",
      "severity": "warn",
      "given": "#PathKey",
      "then": {
        "function": pathkebabcase
      }
    },
    "accord-path-no-trailing-slash": {
      "description": "Paths do not end with a slash.",
      "message": "path {{property}} ends with a slash",
      "severity": "error",
      "given": "#PathKey",
      "then": {
        "function": pattern,
        "functionOptions": {
          "notMatch": ".+/$"
        }
      }
    },
    "accord-path-no-verbs": {
      "description": "Path segments name resources, not actions (no get, create, delete, update, list, …).",
      "message": "{{error}}",
      "severity": "warn",
      "given": "#PathKey",
      "then": {
        "function": pathnoverbs,
        "functionOptions": {
          "verbs": ["get", "list", "create", "add", "update", "delete", "remove", "fetch", "retrieve", "modify", "edit", "insert", "set", "find"]
        }
      }
    },
    "accord-no-sensitive-query-params": {
      "description": "Credentials and personal data are not sent as query parameters.",
      "message": "{{error}}",
      "severity": "error",
      "given": ["$.paths[*].parameters[*]", "#Operation.parameters[*]"],
      "then": {
        "function": nosensitivequeryparams,
        "functionOptions": {
          "names": ["token", "access_token", "refresh_token", "id_token", "auth", "authorization", "password", "passwd", "secret", "client_secret", "api_key", "private_key", "session", "session_id", "ssn", "social_security_number", "email", "email_address", "credit_card", "card_number", "cvv", "cvc", "iban"]
        }
      }
    },
    "accord-servers-https": {
      "description": "Absolute server URLs use https (loopback development hosts excepted).",
      "message": "{{error}}",
      "severity": "error",
      "given": ["$.servers[*]", "$.paths[*].servers[*]", "#Operation.servers[*]"],
      "then": {
        "function": servershttps,
        "functionOptions": {
          "allowHosts": ["localhost", "127.0.0.1", "[::1]"]
        }
      }
    },
    "accord-pattern-linear-time": {
      "description": "No schema pattern uses a lookaround or a backreference (the gateway evaluates patterns in linear time and refuses them).",
      "message": "{{error}}",
      "severity": "error",
      "given": "$",
      "then": {
        "function": patternlineartime
      }
    }
  }
};
