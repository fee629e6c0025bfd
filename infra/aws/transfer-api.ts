// The REST API (API Gateway v1) built from the route table the local cloud serves too: every route's method on its
// resource path, Lambda proxy integration, the TOKEN authorizer unless the route is public, and gateway errors in
// the API's own `{code, description, details}` shape.
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '#api/routes.ts';
import { CORS_ALLOWED_HEADERS, CORS_ALLOWED_METHODS, CORS_MAX_AGE_SECONDS } from '#shared/http/cors.ts';
import type { TransferFunction } from './transfer-function.ts';

export const JWKS_PATH = '/.well-known/jwks.json';

export interface TransferApiProps {
  routes: readonly RouteDefinition[];
  stageName: string;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  authorizerCacheSeconds: number;
  /** Creates the account's API Gateway CloudWatch role (needed once per region for access and error logs). */
  cloudWatchRole: boolean;
  logRetention: logs.RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

interface GatewayError {
  type: apigateway.ResponseType;
  statusCode: string;
  code: string;
  /** A JSON string literal, or an API Gateway variable that renders as one. */
  description: string;
}

const quoted = (text: string) => JSON.stringify(text);

/** Errors API Gateway answers by itself, before or instead of a handler, in the handlers' error shape. */
const GATEWAY_ERRORS: readonly GatewayError[] = [
  {
    type: apigateway.ResponseType.UNAUTHORIZED,
    statusCode: '401',
    code: 'Unauthorized',
    description: quoted('A valid bearer token is required.'),
  },
  {
    type: apigateway.ResponseType.ACCESS_DENIED,
    statusCode: '403',
    code: 'AccessDenied',
    description: quoted('The token does not allow this request.'),
  },
  {
    // API Gateway's answer to a path or method no route has; the local cloud answers 404 too.
    type: apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    statusCode: '404',
    code: 'RouteNotFound',
    description: quoted('No route matches this method and path.'),
  },
  {
    type: apigateway.ResponseType.RESOURCE_NOT_FOUND,
    statusCode: '404',
    code: 'RouteNotFound',
    description: quoted('No route matches this method and path.'),
  },
  {
    type: apigateway.ResponseType.REQUEST_TOO_LARGE,
    statusCode: '413',
    code: 'PayloadTooLarge',
    description: quoted("The request exceeds API Gateway's 10 MB limit."),
  },
  {
    type: apigateway.ResponseType.THROTTLED,
    statusCode: '429',
    code: 'TooManyRequests',
    description: quoted('Too many requests; retry later with backoff.'),
  },
  {
    type: apigateway.ResponseType.INTEGRATION_TIMEOUT,
    statusCode: '504',
    code: 'GatewayTimeout',
    description: quoted('The request took too long; retry it with the same MS-RequestId.'),
  },
  {
    type: apigateway.ResponseType.DEFAULT_4XX,
    statusCode: '400',
    code: '$context.error.responseType',
    description: '$context.error.messageString',
  },
  {
    type: apigateway.ResponseType.DEFAULT_5XX,
    statusCode: '500',
    code: '$context.error.responseType',
    description: '$context.error.messageString',
  },
];

/** Only the status of DEFAULT_4XX/5XX is API Gateway's own; their statusCode above is not applied. */
const KEEPS_ORIGINAL_STATUS = new Set([
  apigateway.ResponseType.DEFAULT_4XX,
  apigateway.ResponseType.DEFAULT_5XX,
]);

export class TransferApi extends Construct {
  readonly restApi: apigateway.RestApi;
  readonly accessLogs: logs.LogGroup;
  /** Route id -> its method. */
  readonly methods = new Map<string, apigateway.Method>();
  private authorizer: apigateway.TokenAuthorizer | undefined;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: TransferApiProps,
  ) {
    super(scope, id);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      description: 'Partner-to-partner transfers of customer subscriptions.',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: props.cloudWatchRole,
      deployOptions: {
        stageName: props.stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttleRateLimit,
        throttlingBurstLimit: props.throttleBurstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            extendedRequestId: '$context.extendedRequestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            httpMethod: '$context.httpMethod',
            resourcePath: '$context.resourcePath',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            principalId: '$context.authorizer.principalId',
            tenantId: '$context.authorizer.tenantId',
            error: '$context.error.message',
            integrationError: '$context.integration.error',
            xrayTraceId: '$context.xrayTraceId',
          }),
        ),
      },
    });
  }

  /** Gateway errors in the API's shape, readable by the console (its origin may read them, like any answer). */
  addGatewayResponses(consoleOrigin: string): void {
    for (const error of GATEWAY_ERRORS) {
      this.restApi.addGatewayResponse(error.type.responseType, {
        type: error.type,
        ...(KEEPS_ORIGINAL_STATUS.has(error.type) ? {} : { statusCode: error.statusCode }),
        responseHeaders: {
          'Content-Type': "'application/json'",
          'Access-Control-Allow-Origin': `'${consoleOrigin}'`,
          Vary: "'Origin'",
        },
        templates: {
          'application/json': `{"code":"${error.code}","description":${error.description},"details":[]}`,
        },
      });
    }
  }

  /** The TOKEN authorizer every authorized route uses; API Gateway caches its answer per token. */
  useAuthorizer(authorizerFunction: TransferFunction): void {
    this.authorizer = new apigateway.TokenAuthorizer(this, 'TokenAuthorizer', {
      handler: authorizerFunction.function,
      identitySource: apigateway.IdentitySource.header('Authorization'),
      // Malformed headers get a 401 from API Gateway itself, without invoking the function.
      validationRegex: '^[Bb][Ee][Aa][Rr][Ee][Rr] +[-0-9A-Za-z._~+/]+=*$',
      resultsCacheTtl: Duration.seconds(this.props.authorizerCacheSeconds),
    });
  }

  /**
   * The route's method; its resource also answers the CORS preflight of the console origin (exactly that origin
   * and the API's headers, with a mock integration).
   */
  addRoute(route: RouteDefinition, handler: TransferFunction, consoleOrigin: string): apigateway.Method {
    if (route.authorized && !this.authorizer)
      throw new Error('useAuthorizer() before adding authorized routes');
    const resource = this.restApi.root.resourceForPath(route.path);
    if (!resource.node.tryFindChild('OPTIONS')) {
      resource.addCorsPreflight({
        allowOrigins: [consoleOrigin],
        allowMethods: [...CORS_ALLOWED_METHODS],
        allowHeaders: [...CORS_ALLOWED_HEADERS],
        maxAge: Duration.seconds(CORS_MAX_AGE_SECONDS),
      });
    }
    const method = resource.addMethod(
      route.method,
      new apigateway.LambdaIntegration(handler.function, { proxy: true, allowTestInvoke: false }),
      {
        operationName: route.id,
        ...(route.authorized
          ? { authorizer: this.authorizer, authorizationType: apigateway.AuthorizationType.CUSTOM }
          : { authorizationType: apigateway.AuthorizationType.NONE }),
      },
    );
    this.methods.set(route.id, method);
    return method;
  }

  /**
   * Serves a fixed JSON document without a function (a mock integration): LocalStack deployments publish the
   * local signing key's JWKS this way, like the embedded local cloud does.
   */
  addStaticDocument(path: string, document: unknown): apigateway.Method {
    const body = JSON.stringify(document);
    if (/[$#\\]/.test(body)) throw new Error(`${path}: the document must not contain $, # or \\`);
    return this.restApi.root.resourceForPath(path).addMethod(
      'GET',
      new apigateway.MockIntegration({
        requestTemplates: { 'application/json': '{"statusCode": 200}' },
        integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': body } }],
      }),
      {
        authorizationType: apigateway.AuthorizationType.NONE,
        methodResponses: [{ statusCode: '200' }],
      },
    );
  }
}
