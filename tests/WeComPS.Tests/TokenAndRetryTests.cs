using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using WeComPS.Sandbox;

namespace WeComPS.Tests
{
    public class TokenAndRetryTests
    {
        [Fact]
        public async Task Token_is_fetched_once_and_reused()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            Assert.Null(connection.TokenExpiresOn);

            await connection.Tags.GetAllAsync(CancellationToken.None);
            await connection.Departments.GetTreeAsync(CancellationToken.None);

            Assert.Equal(1, corp.Sandbox.CallCount("gettoken"));
            Assert.InRange(connection.TokenExpiresOn!.Value, DateTimeOffset.UtcNow.AddMinutes(110), DateTimeOffset.UtcNow.AddMinutes(121));
        }

        [Fact]
        public async Task Concurrent_callers_sharing_an_app_fetch_one_token()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Latency = TimeSpan.FromMilliseconds(50);
            var shared = corp.Own(new AccessTokenCache());
            // Separate connections, as separate runspaces would have, over one process-wide cache.
            var connections = Enumerable.Range(0, 16).Select(_ => corp.Connect(tokens: shared)).ToList();

            await Task.WhenAll(connections.Select(c => c.Tags.GetAllAsync(CancellationToken.None)));

            Assert.Equal(1, corp.Sandbox.CallCount("gettoken"));
            Assert.Equal(16, corp.Sandbox.CallCount("tag/list"));
        }

        [Fact]
        public async Task Different_secrets_get_their_own_tokens()
        {
            await using var corp = await TestCorp.StartAsync();
            var shared = corp.Own(new AccessTokenCache());
            var sync = corp.Connect(tokens: shared);
            var app = corp.Connect(WeComSandbox.SampleAppSecret, tokens: shared);

            Assert.NotEqual(sync.SecretFingerprint, app.SecretFingerprint);
            await sync.ValidateAsync(CancellationToken.None);
            await app.ValidateAsync(CancellationToken.None);
            Assert.Equal(2, corp.Sandbox.CallCount("gettoken"));
            // The app's token really is the app's: it sees only its visible scope.
            Assert.Equal(3, (await app.Departments.GetTreeAsync(CancellationToken.None)).Count);
            Assert.Equal(10, (await sync.Departments.GetTreeAsync(CancellationToken.None)).Count);
        }

        [Theory]
        [InlineData(false)] // 40014
        [InlineData(true)] // 42001
        public async Task A_refused_token_is_refreshed_once_and_the_call_resent(bool expire)
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect();
            await connection.ValidateAsync(CancellationToken.None);
            if (expire)
            {
                corp.Sandbox.ExpireTokens();
            }
            else
            {
                corp.Sandbox.RevokeTokens();
            }

            var tags = await connection.Tags.GetAllAsync(CancellationToken.None);

            Assert.Equal(3, tags.Count);
            Assert.Equal(2, corp.Sandbox.CallCount("gettoken"));
            Assert.Equal(2, corp.Sandbox.CallCount("tag/list"));
        }

        [Fact]
        public async Task A_token_refused_again_after_refresh_counts_against_the_retry_budget_and_then_fails()
        {
            await using var corp = await TestCorp.StartAsync();
            var connection = corp.Connect(maxAttempts: 3);
            corp.Sandbox.Inject("tag/list", SandboxFault.Error(40014), times: 50);

            var error = await Assert.ThrowsAsync<WeComException>(() => connection.Tags.GetAllAsync(CancellationToken.None));

            Assert.Equal(40014, error.ErrCode);
            Assert.Equal("InvalidAccessToken", error.ErrorId);
            // The first refusal is refreshed for free, then each of the 3 attempts fetches a token once: no loop.
            Assert.Equal(4, corp.Sandbox.CallCount("tag/list"));
            Assert.Equal(4, corp.Sandbox.CallCount("gettoken"));
        }

        [Fact]
        public async Task A_token_refused_twice_in_a_row_is_refreshed_again_within_the_budget()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Inject("tag/list", SandboxFault.Error(40014));
            corp.Sandbox.Inject("tag/list", SandboxFault.Error(42001));

            var tags = await corp.Connect().Tags.GetAllAsync(CancellationToken.None);

            Assert.Equal(3, tags.Count);
            Assert.Equal(3, corp.Sandbox.CallCount("tag/list"));
            Assert.Equal(3, corp.Sandbox.CallCount("gettoken"));
        }

        [Fact]
        public async Task Many_callers_hit_by_one_revocation_refresh_once()
        {
            await using var corp = await TestCorp.StartAsync();
            var shared = corp.Own(new AccessTokenCache());
            var connections = Enumerable.Range(0, 12).Select(_ => corp.Connect(tokens: shared)).ToList();
            await connections[0].ValidateAsync(CancellationToken.None);
            corp.Sandbox.RevokeTokens();
            corp.Sandbox.Latency = TimeSpan.FromMilliseconds(20);

            await Task.WhenAll(connections.Select(c => c.Tags.GetAllAsync(CancellationToken.None)));

            // The first fetch, then exactly one refresh: late refusals of the old token don't wipe the new one.
            Assert.Equal(2, corp.Sandbox.CallCount("gettoken"));
        }

        [Theory]
        [InlineData(-1)]
        [InlineData(45033)]
        [InlineData(6000)]
        public async Task Transient_errcodes_are_retried(int errCode)
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Inject("tag/list", SandboxFault.Error(errCode), times: 2);

            var tags = await corp.Connect().Tags.GetAllAsync(CancellationToken.None);

            Assert.Equal(3, tags.Count);
            Assert.Equal(3, corp.Sandbox.CallCount("tag/list"));
        }

        [Fact]
        public async Task Transport_failures_are_retried()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Inject("tag/list", SandboxFault.Http(502));
            corp.Sandbox.Inject("tag/list", SandboxFault.Http(503));
            corp.Sandbox.Inject("tag/list", SandboxFault.ConnectionReset());
            corp.Sandbox.Inject("gettoken", SandboxFault.MalformedJson());

            var tags = await corp.Connect(maxAttempts: 5).Tags.GetAllAsync(CancellationToken.None);

            Assert.Equal(3, tags.Count);
            Assert.Equal(4, corp.Sandbox.CallCount("tag/list"));
            Assert.Equal(2, corp.Sandbox.CallCount("gettoken"));
        }

        [Fact]
        public async Task Retries_are_bounded_and_end_in_the_last_error()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Inject("tag/list", SandboxFault.Error(45033), times: 10);

            var error = await Assert.ThrowsAsync<WeComException>(() => corp.Connect(maxAttempts: 3).Tags.GetAllAsync(CancellationToken.None));

            Assert.Equal("ConcurrencyLimited", error.ErrorId);
            Assert.True(error.IsTransient);
            Assert.Equal(3, corp.Sandbox.CallCount("tag/list"));
        }

        [Fact]
        public async Task Other_errors_surface_at_once()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Inject("tag/list", SandboxFault.Error(60020));

            var error = await Assert.ThrowsAsync<WeComException>(() => corp.Connect().Tags.GetAllAsync(CancellationToken.None));

            Assert.Equal(1, corp.Sandbox.CallCount("tag/list"));
            Assert.Equal("CallerIpNotTrusted", error.ErrorId);
            Assert.Equal(WeComErrorKind.PermissionDenied, error.Kind);
            Assert.Contains("企业可信IP", error.Message);
            Assert.Contains("from ip: 127.0.0.1", error.Message);
            Assert.Equal("tag/list", error.ApiPath);
            Assert.Matches(@"^\d+-sandbox-60020$", error.Hint);
        }

        [Fact]
        public async Task Backoff_grows_and_stays_capped()
        {
            var policy = new RetryPolicy { BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(1000) };
            for (var i = 0; i < 50; i++)
            {
                Assert.InRange(policy.DelayAfter(1).TotalMilliseconds, 50, 100);
                Assert.InRange(policy.DelayAfter(3).TotalMilliseconds, 200, 400);
                Assert.InRange(policy.DelayAfter(10).TotalMilliseconds, 500, 1000);
            }

            await Task.CompletedTask;
        }

        [Fact]
        public async Task Cancellation_stops_waiting_retries_and_in_flight_calls()
        {
            await using var corp = await TestCorp.StartAsync();
            corp.Sandbox.Latency = TimeSpan.FromSeconds(10);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
            var watch = System.Diagnostics.Stopwatch.StartNew();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => corp.Connect().Tags.GetAllAsync(cts.Token));

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "cancellation reached the HTTP call");
        }
    }
}
