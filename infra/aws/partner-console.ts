// The partner console on AWS: the built files and /config.json in a private S3 bucket, served by CloudFront through
// origin access control, HTTPS only, with the same security headers as the local console server (a CSP that lets
// the page reach only the API and the identity provider). LocalStack's free image has no CloudFront, so there the
// bucket is an S3 static website instead (no custom headers there: see docs/deploy.md).
import { type CfnElement, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { CONSOLE_CONFIG_PATH, type ConsoleConfig, contentSecurityPolicy } from '#console/hosting.ts';
import { nagEnvironment } from './nag-environment.ts';

export interface PartnerConsoleProps {
  /** The folder with the built console (`npm run build:console`). */
  assetDir: string;
  /** What the console reads from /config.json (may hold tokens such as the API URL). */
  config: ConsoleConfig;
  /** Origins the console may call besides its own: the API's and the identity provider's. */
  connectOrigins: readonly string[];
  /** LocalStack: an S3 website instead of CloudFront. */
  websiteOnly: boolean;
  /** LocalStack's edge URL, for the website's address. */
  localstackEndpoint: string;
  removalPolicy: RemovalPolicy;
}

/** The wildcards of CDK's BucketDeployment role, as cdk-nag names them. */
const copierWildcards = (
  bucketLogicalId: string,
  invalidates: boolean,
  { region, account }: { region: string; account: string },
) => [
  'Action::s3:GetObject*',
  'Action::s3:GetBucket*',
  'Action::s3:List*',
  'Action::s3:DeleteObject*',
  'Action::s3:Abort*',
  `Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-${account}-${region}/*`,
  `Resource::<${bucketLogicalId}.Arn>/*`,
  // cloudfront:CreateInvalidation has no resource-level permission.
  ...(invalidates ? ['Resource::*'] : []),
];

const acknowledge = (scope: Construct, id: string, reason: string) =>
  Validations.of(scope).acknowledge({ id, reason });

export class PartnerConsole extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution | undefined;
  /** The console's base URL (no trailing slash): emails link to its pages. */
  readonly url: string;
  /** The console's origin: the one origin the API answers cross-origin requests from. */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: PartnerConsoleProps) {
    super(scope, id);
    const autoDelete = { removalPolicy: props.removalPolicy, autoDeleteObjects: false };
    if (props.websiteOnly) {
      this.bucket = new s3.Bucket(this, 'Files', {
        ...autoDelete,
        websiteIndexDocument: 'index.html',
        // Every app URL (a bookmarked or emailed transfer page) gets the app, which routes it.
        websiteErrorDocument: 'index.html',
        publicReadAccess: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY,
      });
      for (const [rule, reason] of [
        ['AwsSolutions-S1', 'LocalStack only: a throwaway website bucket for local trials, no access logs.'],
        [
          'AwsSolutions-S2',
          'LocalStack only: CloudFront is not in the free image, so the website is public.',
        ],
        [
          'AwsSolutions-S5',
          'LocalStack only: S3 website hosting without CloudFront, hence no origin access.',
        ],
        [
          'AwsSolutions-S10',
          'LocalStack only: S3 website endpoints speak HTTP; CloudFront adds HTTPS on AWS.',
        ],
      ] as const) {
        acknowledge(this.bucket, rule, reason);
      }
      this.distribution = undefined;
      const endpoint = new URL(props.localstackEndpoint);
      this.origin = `${endpoint.protocol}//${this.bucket.bucketName}.s3-website.${endpoint.host}`;
    } else {
      this.bucket = new s3.Bucket(this, 'Files', {
        ...autoDelete,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
      });
      acknowledge(
        this.bucket,
        'AwsSolutions-S1',
        'The bucket holds only the public build of the console and is read by CloudFront alone; its requests show in CloudFront metrics.',
      );
      const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
        comment: 'Partner console: CSP limited to the API and the identity provider, HSTS, no framing',
        securityHeadersBehavior: {
          contentSecurityPolicy: {
            contentSecurityPolicy: contentSecurityPolicy(props.connectOrigins),
            override: true,
          },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
          referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
          strictTransportSecurity: {
            accessControlMaxAge: Duration.days(730),
            includeSubdomains: true,
            override: true,
          },
        },
      });
      const spaFallback = (httpStatus: number): cloudfront.ErrorResponse => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: '/index.html',
        ttl: Duration.seconds(0),
      });
      this.distribution = new cloudfront.Distribution(this, 'Distribution', {
        comment: 'Partner console',
        defaultRootObject: 'index.html',
        defaultBehavior: {
          origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          responseHeadersPolicy: headers,
          cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        },
        // A private bucket answers 403 for a key it does not have: every app URL gets index.html.
        errorResponses: [spaFallback(403), spaFallback(404)],
        httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      });
      for (const [rule, reason] of [
        [
          'AwsSolutions-CFR1',
          'Partners work worldwide; the console is static and every call is authorised by the API.',
        ],
        [
          'AwsSolutions-CFR2',
          'A static console; a web ACL can be associated outside this stack where wanted.',
        ],
        [
          'AwsSolutions-CFR3',
          'Access logs of a static public bundle add cost without insight; API calls are logged by the API.',
        ],
        [
          'AwsSolutions-CFR4',
          'With the default *.cloudfront.net certificate CloudFront fixes the security policy (TLSv1); a minimum of TLSv1.2_2021 needs a custom domain and certificate, which a deployment adds outside this stack.',
        ],
      ] as const) {
        acknowledge(this.distribution, rule, reason);
      }
      this.origin = `https://${this.distribution.distributionDomainName}`;
    }
    this.url = this.origin;

    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        s3deploy.Source.asset(props.assetDir),
        s3deploy.Source.jsonData(CONSOLE_CONFIG_PATH.slice(1), props.config),
      ],
      // Assets are content-hashed; index.html and config.json must be fetched fresh after a deploy.
      cacheControl: [s3deploy.CacheControl.noCache()],
      ...(this.distribution ? { distribution: this.distribution, distributionPaths: ['/*'] } : {}),
      memoryLimit: 256,
    });
    // The copying function is a stack-wide singleton of CDK's, not a child of the deployment.
    const copier = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!copier) throw new Error("CDK's BucketDeployment function was not found");
    for (const [rule, reason] of [
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's BucketDeployment custom resource: the AWS managed policy lets its function write its own logs.",
      ],
      ...copierWildcards(
        Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement),
        this.distribution !== undefined,
        nagEnvironment(this),
      ).map(
        (finding) =>
          [
            `AwsSolutions-IAM5[${finding}]`,
            "CDK's BucketDeployment custom resource copies the build from CDK's asset bucket into the console bucket (and invalidates CloudFront, which has no resource-level permission): object wildcards on those two buckets only.",
          ] as const,
      ),
      ['AwsSolutions-L1', "CDK's BucketDeployment custom resource: CDK chooses and updates its runtime."],
    ] as const) {
      acknowledge(copier, rule, reason);
    }
  }
}
