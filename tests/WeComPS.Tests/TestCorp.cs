using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    /// <summary>The sample corp served over loopback HTTP, and a connection to it with its own token cache and quick retries.</summary>
    internal sealed class TestCorp : IAsyncDisposable
    {
        private readonly List<IDisposable> _owned = new List<IDisposable>();

        private TestCorp(SandboxServer server) => Server = server;

        public SandboxServer Server { get; }
        public WeComSandbox Sandbox => Server.Sandbox;

        public static async Task<TestCorp> StartAsync(WeComSandbox? sandbox = null) =>
            new TestCorp(await SandboxServer.StartAsync(sandbox ?? WeComSandbox.CreateSample()));

        /// <summary>A connection with the contacts-sync secret unless told otherwise.</summary>
        public WeComConnection Connect(
            string secret = WeComSandbox.SampleContactsSecret, AccessTokenCache? tokens = null, int maxAttempts = 4, TimeSpan? attemptTimeout = null, RateLimiter? limiter = null, string? appSecret = null, Uri? baseUri = null)
        {
            var cache = tokens ?? Own(new AccessTokenCache());
            var http = Own(new HttpClient { Timeout = Timeout.InfiniteTimeSpan });
            var retry = new RetryPolicy
            {
                MaxAttempts = maxAttempts,
                BaseDelay = TimeSpan.FromMilliseconds(5),
                MaxDelay = TimeSpan.FromMilliseconds(50),
                AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(5),
            };
            return new WeComConnection(Sandbox.CorpId, Secure(secret), baseUri ?? Server.BaseUri, null, http, cache, retry, limiter ?? RateLimiter.Shared, appSecret is null ? null : Secure(appSecret));
        }

        /// <summary>One raw call with <paramref name="secret"/>'s token: GET, or POST with <paramref name="body"/>; WeCom's whole answer.</summary>
        public async Task<System.Text.Json.Nodes.JsonObject> CallAsync(string pathAndQuery, string? body = null, string secret = WeComSandbox.SampleContactsSecret)
        {
            var http = Own(new HttpClient());
            var token = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(Server.BaseUri, $"gettoken?corpid={Sandbox.CorpId}&corpsecret={Uri.EscapeDataString(secret)}")))!;
            var uri = new Uri(Server.BaseUri, pathAndQuery + (pathAndQuery.Contains('?') ? "&" : "?") + "access_token=" + (string?)token["access_token"]);
            using var response = body is null ? await http.GetAsync(uri) : await http.PostAsync(uri, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            return System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        }

        public T Own<T>(T disposable)
            where T : IDisposable
        {
            _owned.Add(disposable);
            return disposable;
        }

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            _owned.ForEach(d => d.Dispose());
        }
    }

    internal static class AsyncEnumerableExtensions
    {
        public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> source)
        {
            var list = new List<T>();
            await foreach (var item in source)
            {
                list.Add(item);
            }

            return list;
        }

        public static async Task<List<T>> ValuesAsync<T>(this IAsyncEnumerable<ItemResult<T>> source)
        {
            var results = await source.ToListAsync();
            var failed = results.FirstOrDefault(r => r.Error != null);
            Assert.True(failed is null, failed?.Error?.Message);
            return results.Select(r => r.Value!).ToList();
        }
    }
}
