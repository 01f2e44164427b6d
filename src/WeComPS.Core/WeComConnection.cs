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
    /// One app of one corp: corp id, endpoint and secret. Shows the corp, the endpoint and when the cached token
    /// expires; never the secret or the token. The token itself lives in a process-wide cache, so every
    /// connection (and every runspace) using the same app shares one.
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
        public WeComConnection(string corpId, SecureString secret, Uri? baseUri = null, string? name = null)
            : this(corpId, secret, baseUri, name, SharedHttp.Value, AccessTokenCache.Shared, new RetryPolicy(), RateLimiter.Shared)
        {
        }

        /// <summary>Connects through <paramref name="handler"/>, e.g. the in-process sandbox.</summary>
        public WeComConnection(string corpId, SecureString secret, Uri baseUri, string? name, HttpMessageHandler handler)
            : this(corpId, secret, baseUri, name, new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, AccessTokenCache.Shared, new RetryPolicy(), RateLimiter.Shared)
        {
        }

        internal WeComConnection(string corpId, SecureString secret, Uri? baseUri, string? name, HttpClient http, AccessTokenCache tokens, RetryPolicy retry, RateLimiter limiter)
        {
            if (string.IsNullOrWhiteSpace(corpId))
            {
                throw WeComException.InvalidInput("CorpIdMissing", "The corp id is empty. Find it in the admin console under 我的企业 > 企业信息 > 企业ID.");
            }

            if (secret is null || secret.Length == 0)
            {
                throw WeComException.InvalidInput("SecretMissing", "The secret is empty. Use the contacts-sync secret (管理工具 > 通讯录同步) to change the directory, or an app secret to read its visible scope.");
            }

            BaseUri = NormalizeBaseUri(baseUri ?? DefaultBaseUri);
            CorpId = corpId.Trim();
            Name = string.IsNullOrWhiteSpace(name) ? CorpId : name!;
            var plain = Reveal(secret);
            SecretFingerprint = Fingerprint(CorpId, plain);
            Client = new WeComClient(http, BaseUri, CorpId, plain, SecretFingerprint, tokens, retry, limiter);
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
        /// <summary>When the cached access token expires; <c>null</c> while none is cached.</summary>
        public DateTimeOffset? TokenExpiresOn => Client.TokenExpiresOn;

        /// <summary>Requests at once for reads that walk many departments or users (1 to 32).</summary>
        public int MaxConcurrency
        {
            get => _maxConcurrency;
            set => _maxConcurrency = value >= 1 && value <= 32
                ? value
                : throw WeComException.InvalidInput("InvalidMaxConcurrency", "MaxConcurrency must be between 1 and 32.");
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

        /// <summary>Fetches the token now (or takes the cached one): proves corp id and secret are right.</summary>
        public Task ValidateAsync(CancellationToken cancellationToken) => Client.GetTokenAsync(cancellationToken);

        /// <summary>Drops the cached token of this app from the process-wide cache.</summary>
        public void ForgetToken() => Client.ForgetToken();

        public override string ToString() => $"{Name} ({CorpId} at {BaseUri.Host})";

        private static HttpClient CreateSharedHttp()
        {
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                // Windows PowerShell 5.1 may still default to SSL 3 and TLS 1.0, which WeCom and most proxies refuse.
                ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
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

        /// <summary>Checks the endpoint: HTTPS, except on loopback; the path ends with '/'.</summary>
        public static Uri NormalizeBaseUri(Uri baseUri)
        {
            if (!IsSecure(baseUri))
            {
                throw WeComException.InvalidInput("InsecureBaseUri", $"The endpoint '{baseUri}' must be an absolute https:// URI (plain http is allowed only on loopback).");
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
