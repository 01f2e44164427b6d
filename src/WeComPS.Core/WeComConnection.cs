using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// One corp through one secret (the contacts-sync secret, or an app's) and optionally an app secret of the same
    /// corp that reads names and details where WeCom refuses them to the first (see <see cref="SecretRouting"/>). Shows
    /// the corp, the endpoint, which secrets it holds (by fingerprint), which reads are limited and when the cached
    /// token expires; never a secret or a token. Tokens live in a process-wide cache, so every connection (and every
    /// runspace) using the same secret shares one.
    /// It is written to the pipeline, so it carries no way to change the directory: the operations are internal, reached
    /// only through the cmdlets and ShouldProcess.
    /// </summary>
    public sealed class WeComConnection
    {
        /// <summary>WeCom's public endpoint.</summary>
        public static readonly Uri DefaultBaseUri = new Uri("https://qyapi.weixin.qq.com/cgi-bin/");

        /// <summary>
        /// Requests at once per connection unless a call or Connect-WeCom says otherwise. A walk of many departments
        /// spends nearly all its time waiting for WeCom, so it is as fast as the number of calls in flight allows: 8
        /// reads 1,000 departments about 7 times faster than one at a time. WeCom publishes no concurrency figure for
        /// the contacts API (45033 says "too many"), only that a handful of concurrent calls is safe, so the default
        /// stays at 8 rather than the 32 allowed; and at 8 calls in flight even fast answers stay below the 10,000
        /// calls a minute per API, which <see cref="RateLimiter"/> enforces in any case.
        /// </summary>
        public const int DefaultMaxConcurrency = 8;

        private static readonly Lazy<HttpClient> SharedHttp = new Lazy<HttpClient>(CreateSharedHttp);

        private int _maxConcurrency = DefaultMaxConcurrency;

        /// <summary>Connects to <paramref name="baseUri"/> (WeCom's endpoint by default) over the shared HTTP client.</summary>
        public WeComConnection(string corpId, SecureString secret, Uri? baseUri = null, string? name = null, SecureString? appSecret = null)
            : this(corpId, secret, baseUri, name, SharedHttp.Value, AccessTokenCache.Shared, new RetryPolicy(), RateLimiter.Shared, appSecret)
        {
        }

        /// <summary>Connects through <paramref name="handler"/>, e.g. the in-process sandbox.</summary>
        public WeComConnection(string corpId, SecureString secret, Uri baseUri, string? name, HttpMessageHandler handler, SecureString? appSecret = null)
            : this(corpId, secret, baseUri, name, new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, AccessTokenCache.Shared, new RetryPolicy(), RateLimiter.Shared, appSecret)
        {
        }

        internal WeComConnection(string corpId, SecureString secret, Uri? baseUri, string? name, HttpClient http, AccessTokenCache tokens, RetryPolicy retry, RateLimiter limiter, SecureString? appSecret = null)
        {
            if (string.IsNullOrWhiteSpace(corpId))
            {
                throw WeComException.InvalidInput("CorpIdMissing", Msg.Get("CorpIdMissing"));
            }

            if (secret is null || secret.Length == 0)
            {
                throw WeComException.InvalidInput("SecretMissing", Msg.Get("SecretMissing"));
            }

            BaseUri = NormalizeBaseUri(baseUri ?? DefaultBaseUri);
            CorpId = corpId.Trim();
            Name = string.IsNullOrWhiteSpace(name) ? CorpId : name!;
            var plain = Reveal(secret);
            SecretFingerprint = Fingerprint(CorpId, plain);
            Client = new WeComClient(http, BaseUri, CorpId, plain, SecretFingerprint, tokens, retry, limiter);
            if (appSecret != null && appSecret.Length > 0)
            {
                var plainApp = Reveal(appSecret);
                AppSecretFingerprint = Fingerprint(CorpId, plainApp);
                AppClient = new WeComClient(http, BaseUri, CorpId, plainApp, AppSecretFingerprint, tokens, retry, limiter);
            }

            Routing = new SecretRouting(Client, AppClient);
            // Read-backs after a lost answer read names and details too.
            Client.ReadDetails = async call => (await Routing.ReadDetailsAsync(call).ConfigureAwait(false)).Value;
            Departments = new DepartmentOperations(this);
            Users = new UserOperations(this);
            Tags = new TagOperations(this);
            Jobs = new JobOperations(this);
            Exports = new ExportOperations(this);
        }

        /// <summary>The name the connection is registered under (the corp id unless given).</summary>
        public string Name { get; }
        public string CorpId { get; }
        public Uri BaseUri { get; }
        /// <summary>A short digest of corp id and secret that tells apps apart without revealing the secret.</summary>
        public string SecretFingerprint { get; }
        /// <summary>A short digest of corp id and app secret; <c>null</c> when the connection holds no app secret.</summary>
        public string? AppSecretFingerprint { get; }

        /// <summary>The secrets the connection holds: "Secret", or "Secret, AppSecret".</summary>
        public string Secrets => AppClient is null ? "Secret" : "Secret, AppSecret";

        /// <summary>
        /// What the connection knows it cannot read with its secret (learnt from WeCom's answers), and how it reads it
        /// instead; <c>null</c> while nothing is known to be limited.
        /// </summary>
        public string? LimitedReads => !Routing.SecretRefusedDetails
            ? null
            : Routing.HasAppSecret
                ? "Names and details are refused to the secret (48009): read with the app secret."
                : "Names and details are refused to the secret (48009) and there is no app secret: departments come without names, members as userid and departments only; exports of members and departments are refused.";

        /// <summary>When the cached access token expires; <c>null</c> while none is cached.</summary>
        public DateTimeOffset? TokenExpiresOn => Client.TokenExpiresOn;

        /// <summary>Requests at once for reads that walk many departments or users (1 to 32).</summary>
        public int MaxConcurrency
        {
            get => _maxConcurrency;
            set => _maxConcurrency = value >= 1 && value <= 32
                ? value
                : throw WeComException.InvalidInput("InvalidMaxConcurrency", Msg.Get("InvalidMaxConcurrency"));
        }

        public RetryPolicy Retry => Client.Retry;
        // The operations are for the cmdlets, not for an admin's Format-List * or ConvertTo-Json of a connection.
        internal DepartmentOperations Departments { get; }
        internal UserOperations Users { get; }
        internal TagOperations Tags { get; }
        /// <summary>Async imports: batch/syncuser, batch/replaceuser, batch/replaceparty.</summary>
        internal JobOperations Jobs { get; }
        /// <summary>Export jobs: export/simple_user, export/user, export/department, export/taguser.</summary>
        internal ExportOperations Exports { get; }

        internal WeComClient Client { get; }

        /// <summary>The app secret's client, when the connection holds one.</summary>
        internal WeComClient? AppClient { get; }

        internal SecretRouting Routing { get; }

        /// <summary>Fetches the tokens now (or takes the cached ones): proves corp id and secrets are right.</summary>
        public async Task ValidateAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Client.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                if (AppClient != null)
                {
                    await AppClient.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (WeComException ex) when (ex.ErrCode is null && ex.ErrorId != "TlsHandshakeFailed" && BaseUri.AbsolutePath.IndexOf("/cgi-bin/", StringComparison.Ordinal) < 0)
            {
                // No answer of WeCom's at all, from an endpoint without WeCom's path: say so beside what failed
                // (not for a refused certificate, which no path explains).
                throw ex.With(Msg.Get("NoCgiBin", DefaultBaseUri, BaseUri));
            }
        }

        /// <summary>Drops the cached tokens of this connection's secrets from the process-wide cache.</summary>
        public void ForgetToken()
        {
            Client.ForgetToken();
            AppClient?.ForgetToken();
        }

        public override string ToString() => $"{Name} ({CorpId} at {BaseUri.Host})";

        private static HttpClient CreateSharedHttp()
        {
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                ServicePointManager.SecurityProtocol = WithTls12(ServicePointManager.SecurityProtocol);
            }

            return new HttpClient(new HttpClientHandler
            {
                MaxConnectionsPerServer = 32,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            })
            {
                Timeout = Timeout.InfiniteTimeSpan,
            };
        }

        /// <summary>
        /// The protocols with TLS 1.2 among them: Windows PowerShell 5.1 may still default to SSL 3 and TLS 1.0, which
        /// WeCom and most proxies refuse. The process's setting is shared by everyone in it, so nothing is taken away,
        /// and SystemDefault (the operating system chooses, TLS 1.2 and later included) is left as it is.
        /// </summary>
        internal static SecurityProtocolType WithTls12(SecurityProtocolType protocols) =>
            protocols == 0 ? protocols : protocols | SecurityProtocolType.Tls12;

        /// <summary>Checks the endpoint: HTTPS, except on loopback; the path ends with '/'.</summary>
        public static Uri NormalizeBaseUri(Uri baseUri)
        {
            if (!baseUri.IsAbsoluteUri)
            {
                throw WeComException.InvalidInput("InvalidBaseUri", Msg.Get("InvalidBaseUri", baseUri, DefaultBaseUri));
            }

            if (!IsSecure(baseUri))
            {
                throw WeComException.InvalidInput("InsecureBaseUri", Msg.Get("InsecureBaseUri", baseUri));
            }

            return baseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        }

        /// <summary>True for an absolute https URI, or http on loopback: the only endpoints and downloads WeComPS talks to.</summary>
        public static bool IsSecure(Uri uri) =>
            uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

        private static string Reveal(SecureString secret)
        {
            var ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
            try
            {
                return Marshal.PtrToStringUni(ptr) ?? "";
            }
            finally
            {
                Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }

        private static string Fingerprint(string corpId, string secret)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(corpId + "\n" + secret));
            return BitConverter.ToString(hash, 0, 6).Replace("-", "").ToLowerInvariant();
        }
    }
}
