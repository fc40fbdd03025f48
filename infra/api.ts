import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { openApiDocument } from '../shared/api/openapi.ts';
import { REPORTS_PREFIX } from '../shared/uploads/report-key.ts';
import { PbrFunction } from './pbr-function.ts';
import type { Storage } from './storage.ts';

/** The one route anyone may call: the API's own description, which holds no data. */
export const PUBLIC_PATH = '/openapi.json';

/** Cognito groups the API knows (shared/api/caller.ts). */
export const GROUPS = { holder: 'holder', municipality: 'municipality' } as const;

/** Props for {@link PortalApi}. */
export interface PortalApiProps {
  readonly storage: Storage;
  /** `https://…` origin of the portal: CORS origin (of the API and of presigned uploads) and OAuth redirect target. */
  readonly portalUrl: string;
  /** Hosted UI domain prefix, `<prefix>.auth.<region>.amazoncognito.com`. */
  readonly domainPrefix: string;
}

/**
 * Stage 4, the API: who may use the portal and the API that trusts them: a Cognito user
 * pool (admin-created users, email sign-in, TOTP MFA, the `custom:municipality` attribute,
 * groups `holder` and `municipality`), the portal's public app client (authorization code +
 * PKCE, ID token), the hosted UI domain, and an HTTP API whose routes (one per OpenAPI
 * operation) require a JWT from that client, except `GET /openapi.json`. Its function reads
 * statements and hours and presigns timesheet uploads, which browsers PUT to the data bucket.
 */
export class PortalApi extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  readonly function: PbrFunction;
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly accessLogs: logs.LogGroup;
  /** `https://<id>.execute-api.<region>.amazonaws.com`, no trailing slash. */
  readonly url: string;
  /** Token issuer: `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, props: PortalApiProps) {
    super(scope, id);
    this.userPool = this.createUserPool();
    this.client = this.addPortalClient(props.portalUrl);
    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.function = this.createFunction(props);
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;
    this.httpApi = this.createHttpApi(props.portalUrl);
    this.url = this.httpApi.apiEndpoint;
    this.addOperationRoutes();
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = this.createStage();
  }

  /** The user pool and its two groups: who may sign in, how, and which role the token names. */
  private createUserPool(): cognito.UserPool {
    const userPool = new cognito.UserPool(this, 'Users', {
      userPoolName: `${Stack.of(this).stackName}-users`,
      selfSignUpEnabled: false, // the project holder invites every user
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      customAttributes: {
        // Which municipality a `municipality` user belongs to; an administrator may move a user.
        municipality: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Statements and weekly hours describe people in employment programmes: a password alone is not enough.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Plus tier: threat protection blocks risky sign-ins and compromised passwords (a few hundred users, cents each).
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      userInvitation: {
        emailSubject: 'Adgang til portalen for vækstpartnerskaber',
        emailBody: 'Du er oprettet som bruger. Brugernavn: {username} Midlertidig adgangskode: {####}',
      },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    userPool.addGroup('HolderGroup', {
      groupName: GROUPS.holder,
      description: 'The project holder: every partnership, uploads and scenarios',
      precedence: 0,
    });
    userPool.addGroup('MunicipalityGroup', {
      groupName: GROUPS.municipality,
      description: 'A municipality user: only partnerships of the municipality in custom:municipality',
      precedence: 1,
    });
    return userPool;
  }

  /** The portal's public app client: authorization code + PKCE, redirecting back to the portal. */
  private addPortalClient(portalUrl: string): cognito.UserPoolClient {
    const redirectUrls = [`${portalUrl}/`, `${portalUrl}/index.html`];
    return this.userPool.addClient('PortalClient', {
      generateSecret: false, // a browser app cannot keep a secret: authorization code with PKCE instead
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: redirectUrls,
        logoutUrls: redirectUrls,
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // The ID token must carry custom:municipality ...
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('municipality'),
      // ... but a user must never change it (or their email) with their own access token.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }

  /** The API's function, its rights on the data, and the bucket CORS rule its presigned uploads need. */
  private createFunction(props: PortalApiProps): PbrFunction {
    const fn = new PbrFunction(this, 'Function', {
      entry: 'functions/api/handler.ts',
      description: 'HTTP API for the portal: statements, weekly hours, reports, uploads, scenarios',
      timeout: Duration.seconds(29), // the HTTP API integration limit is 30 s
      environment: { TABLE_NAME: props.storage.table.tableName, BUCKET_NAME: props.storage.bucket.bucketName },
    });
    // Reads statements and hours; signs PUT URLs for timesheets (a presigned URL carries the signer's rights).
    props.storage.grant(fn, { write: [REPORTS_PREFIX], table: ['dynamodb:GetItem', 'dynamodb:Query'] });
    // Browsers PUT timesheets to presigned URLs straight from the portal.
    props.storage.bucket.addCorsRule({
      allowedOrigins: [props.portalUrl],
      allowedMethods: [s3.HttpMethods.PUT],
      allowedHeaders: ['content-type'],
      exposedHeaders: ['etag'],
      maxAge: 3600,
    });
    return fn;
  }

  /** The HTTP API with CORS for the portal; every route requires an ID token of the portal client by default. */
  private createHttpApi(portalUrl: string): apigw.HttpApi {
    const authorizer = new HttpJwtAuthorizer('CognitoAuthorizer', this.issuer, {
      authorizerName: 'cognito',
      jwtAudience: [this.client.userPoolClientId], // ID tokens of the portal client (aud = client id)
      identitySource: ['$request.header.Authorization'],
    });

    return new apigw.HttpApi(this, 'HttpApi', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'PbR partnerships API (shared/api/openapi.ts)',
      createDefaultStage: false, // createStage adds it with access logs and throttling
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: [portalUrl],
        allowMethods: [apigw.CorsHttpMethod.GET, apigw.CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        exposeHeaders: ['content-disposition'],
        maxAge: Duration.hours(1),
      },
    });
  }

  /**
   * One route per OpenAPI operation (not ANY /{proxy+}: an authorised catch-all would
   * also swallow the browser's unauthenticated CORS preflight).
   */
  private addOperationRoutes(): void {
    const integration = new HttpLambdaIntegration('Integration', this.function.fn);
    for (const [path, operations] of Object.entries(openApiDocument.paths)) {
      for (const method of Object.keys(operations)) {
        const [route] = this.httpApi.addRoutes({
          path,
          methods: [method.toUpperCase() as apigw.HttpMethod],
          integration,
          authorizer: path === PUBLIC_PATH ? new apigw.HttpNoneAuthorizer() : undefined,
        });
        if (path === PUBLIC_PATH) {
          Validations.of(route!).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason: 'GET /openapi.json is public by design: it is the API contract, holds no data, and clients read it before they have a token.',
          });
        }
      }
    }
  }

  /** The `$default` stage with throttling and JSON access logs. */
  private createStage(): apigw.HttpStage {
    return new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });
  }
}
