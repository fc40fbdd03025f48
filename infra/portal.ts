import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';

/** Props for {@link Portal}. */
export interface PortalProps {
  /** Receives the portal bucket's S3 server access logs and CloudFront's standard logs (needs ACLs enabled). */
  readonly accessLogs: s3.IBucket;
  /** Origins the portal's scripts may call besides its own (CSP connect-src): the API, S3 uploads, Cognito. */
  readonly connectSources: string[];
}

/** What the portal reads from `/config.json` (portal/api.js). */
export interface PortalConfig {
  readonly auth: 'cognito';
  readonly apiUrl: string;
  readonly cognito: { region: string; userPoolId: string; clientId: string; domain: string; tokenUse: 'id' };
}

/**
 * Stage 5, the portal: the static web portal in a private S3 bucket that only CloudFront may read (Origin Access
 * Control), served over HTTPS with security headers. {@link deploy} uploads the files with
 * a generated `config.json`.
 */
export class Portal extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** `https://<distribution domain>`, no trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    this.bucket = this.createBucket(props.accessLogs);
    const headers = this.createSecurityHeaders(props.connectSources);
    this.distribution = this.createDistribution(headers, props.accessLogs);
    this.url = `https://${this.distribution.distributionDomainName}`;
    this.acknowledgeDistributionFindings();
  }

  /** The private bucket that holds the portal's files; only CloudFront reads it. */
  private createBucket(accessLogs: s3.IBucket): s3.Bucket {
    return new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'portal/',
      // Only build output lives here; the deployment empties it on stack deletion (retainOnDelete: false).
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Security headers on every response: a strict CSP (scripts only from the portal), HSTS, no framing. */
  private createSecurityHeaders(connectSources: string[]): cloudfront.ResponseHeadersPolicy {
    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'", // portal/ sets no inline styles; the local server sends no CSP, so keep it that way
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${connectSources.join(' ')}`,
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      'upgrade-insecure-requests',
    ].join('; ');
    return new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'PbR portal security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });
  }

  /** HTTPS-only distribution in front of the bucket (Origin Access Control), logging to the access-log bucket. */
  private createDistribution(headers: cloudfront.IResponseHeadersPolicy, accessLogs: s3.IBucket): cloudfront.Distribution {
    return new cloudfront.Distribution(this, 'Distribution', {
      comment: `PbR portal (${Stack.of(this).stackName})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100, // Europe and North America: the users are in Denmark
      enableLogging: true,
      logBucket: accessLogs,
      logFilePrefix: 'cloudfront/',
    });
  }

  /** cdk-nag findings on the distribution that are deliberate choices, with why. */
  private acknowledgeDistributionFindings(): void {
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason: 'No geo restriction: municipal staff sign in from wherever they work or travel, and every data request needs a Cognito token anyway.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason: 'No WAF: the distribution serves only public static files; all data sits behind the JWT-authorised API, and a CloudFront web ACL would need a us-east-1 stack and a monthly fee.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR4',
      reason: 'The portal uses the default *.cloudfront.net certificate, whose security policy CloudFront fixes; with a custom domain and ACM certificate set minimumProtocolVersion TLSv1.2_2021.',
    });
  }

  /**
   * Uploads the portal directory plus a generated `config.json`, removes files no longer
   * in it, and invalidates the distribution so the new version is served at once.
   */
  deploy(directory: string, config: PortalConfig): s3deploy.BucketDeployment {
    const deployment = new s3deploy.BucketDeployment(this, 'Files', {
      sources: [s3deploy.Source.asset(directory, { exclude: ['.*'] }), s3deploy.Source.jsonData('config.json', config)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      prune: true,
      retainOnDelete: false,
    });
    this.acknowledgeDeploymentHandler();
    return deployment;
  }

  /** The CDK-internal singleton Lambda behind BucketDeployment; not our code to change. */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) return;
    const owner = 'CDK-internal BucketDeployment handler (aws-cdk-lib s3-deployment)';
    const qualifier: string = stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const bucketId = stack.getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket);
    // A concrete region (and with it the partition) appears as a literal in the finding, else as a placeholder.
    const [partition, region] = [stack.partition, stack.region].map((value, i) => (Token.isUnresolved(value) ? ['<AWS::Partition>', '<AWS::Region>'][i] : value));
    const findings: Record<string, string> = {
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]':
        'aws-cdk-lib creates its role with the basic execution managed policy and offers no way to replace it.',
      L1: 'aws-cdk-lib pins the Python runtime of this handler and upgrades it with the library; we cannot choose it.',
      'IAM5[Action::s3:GetObject*]': 'aws-cdk-lib grants GetObject* on the CDK asset bucket and the portal bucket to copy and compare the portal files.',
      'IAM5[Action::s3:GetBucket*]': 'aws-cdk-lib grants GetBucket* on the CDK asset bucket and the portal bucket, which the aws s3 sync it runs needs.',
      'IAM5[Action::s3:List*]': 'aws-cdk-lib grants List* on the asset and portal buckets to sync (and prune) the portal files.',
      'IAM5[Action::s3:DeleteObject*]': 'aws-cdk-lib grants DeleteObject* on the portal bucket only, to prune files removed from portal/ and empty it on stack deletion.',
      'IAM5[Action::s3:Abort*]': 'aws-cdk-lib grants Abort* on the portal bucket only, to abort failed multipart uploads of portal files.',
      [`IAM5[Resource::arn:${partition}:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-${region}/*]`]:
        'Read access to objects of the CDK bootstrap asset bucket, where the zipped portal files are staged; asset keys are content hashes.',
      [`IAM5[Resource::<${bucketId}.Arn>/*]`]: 'Write access to every object of the portal bucket: the deployment owns all of its contents (portal files and config.json).',
      'IAM5[Resource::*]': 'cloudfront:CreateInvalidation and GetInvalidation, which the handler calls after the upload so the new portal is served at once.',
    };
    for (const [finding, reason] of Object.entries(findings)) {
      Validations.of(handler).acknowledge({ id: `AwsSolutions-${finding}`, reason: `${owner}: ${reason}` });
    }
  }
}
