using System;
using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// Sends WeCom API calls for one app: adds the access token, refreshes it once when WeCom refuses it
    /// (40014, 42001, 40001), retries transient failures with backoff, and turns every failure into a
    /// <see cref="WeComException"/> whose text never holds the token or the secret.
    /// </summary>
    internal sealed class WeComClient
    {
        private const string TokenPath = "gettoken";
        private readonly HttpClient _http;
        private readonly Uri _baseUri;
        private readonly string _corpId;
        private readonly string _secret;
        private readonly string _cacheKey;
        private readonly AccessTokenCache _tokens;

        public WeComClient(HttpClient http, Uri baseUri, string corpId, string secret, string secretFingerprint, AccessTokenCache tokens, RetryPolicy retry)
        {
            _http = http;
            _baseUri = baseUri;
            _corpId = corpId;
            _secret = secret;
            _tokens = tokens;
            _cacheKey = baseUri.AbsoluteUri + "|" + corpId + "|" + secretFingerprint;
            Retry = retry;
        }

        public RetryPolicy Retry { get; }

        public DateTimeOffset? TokenExpiresOn => _tokens.Peek(_cacheKey)?.ExpiresOn;

        public void ForgetToken() => _tokens.Remove(_cacheKey);

        public Task<JsonElement> GetAsync(string path, string? query, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Get, path, query, null, cancellationToken);

        public Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken) =>
            CallAsync(HttpMethod.Post, path, null, JsonSerializer.Serialize(body), cancellationToken);

        /// <summary>Gets the app's token, fetching it once if no valid one is cached.</summary>
        public Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken) =>
            _tokens.GetAsync(_cacheKey, FetchTokenAsync, cancellationToken);

        public async Task<JsonElement> CallAsync(HttpMethod method, string path, string? query, string? body, CancellationToken cancellationToken)
        {
            var refreshed = false;
            for (var attempt = 1; ; attempt++)
            {
                var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
                var query2 = "access_token=" + Uri.EscapeDataString(token.Value) + (string.IsNullOrEmpty(query) ? "" : "&" + query);
                var outcome = await SendOnceAsync(method, path, query2, Shown(path, query), body, cancellationToken).ConfigureAwait(false);
                if (outcome.Error is { ErrCode: { } code } && WeComErrorCatalog.IsTokenRejected(code) && !refreshed)
                {
                    // WeCom may revoke a token early: fetch a new one once and resend, never in a loop.
                    refreshed = true;
                    attempt--;
                    WeComLog.Verbose($"WeCom refused the access token ({code}) on {path}; fetching a new one.");
                    await _tokens.InvalidateAsync(_cacheKey, token, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (await ShouldRetryAsync(outcome, path, attempt, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                return outcome.Value;
            }
        }

        private async Task<AccessToken> FetchTokenAsync(CancellationToken cancellationToken)
        {
            var query = "corpid=" + Uri.EscapeDataString(_corpId) + "&corpsecret=" + Uri.EscapeDataString(_secret);
            var shown = Shown(TokenPath, "corpid=" + Uri.EscapeDataString(_corpId) + "&corpsecret=***");
            for (var attempt = 1; ; attempt++)
            {
                var outcome = await SendOnceAsync(HttpMethod.Get, TokenPath, query, shown, null, cancellationToken).ConfigureAwait(false);
                if (await ShouldRetryAsync(outcome, TokenPath, attempt, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var root = outcome.Value;
                var value = root.Str("access_token");
                var seconds = root.Long("expires_in") ?? 0;
                if (string.IsNullOrEmpty(value) || seconds <= 0)
                {
                    throw WeComException.FromTransport(TokenPath, "the answer has no access_token", transient: false, WeComErrorKind.InvalidResponse);
                }

                WeComLog.Verbose($"Got an access token for corp {_corpId}, valid {seconds} s.");
                return new AccessToken(value!, DateTimeOffset.UtcNow.AddSeconds(seconds));
            }
        }

        /// <summary>Throws a final failure, waits and answers true for a retryable one, answers false on success.</summary>
        private async Task<bool> ShouldRetryAsync(Outcome outcome, string path, int attempt, CancellationToken cancellationToken)
        {
            if (outcome.Error is null)
            {
                return false;
            }

            if (!outcome.Error.IsTransient || attempt >= Retry.MaxAttempts)
            {
                throw outcome.Error;
            }

            var delay = Retry.DelayAfter(attempt);
            WeComLog.Verbose($"{path} failed ({outcome.Error.ErrCode?.ToString() ?? outcome.Error.ErrorId}); retry {attempt} of {Retry.MaxAttempts - 1} in {delay.TotalMilliseconds:0} ms.");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            return true;
        }

        private async Task<Outcome> SendOnceAsync(HttpMethod method, string path, string query, string shown, string? body, CancellationToken cancellationToken)
        {
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCts.CancelAfter(Retry.AttemptTimeout);
            using var request = new HttpRequestMessage(method, new Uri(_baseUri, path + "?" + query));
            if (body != null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            var watch = Stopwatch.StartNew();
            WeComLog.Debug($"{method} {shown}");
            string text;
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptCts.Token).ConfigureAwait(false);
                text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var status = (int)response.StatusCode;
                    var transient = status >= 500 || response.StatusCode == (HttpStatusCode)429 || response.StatusCode == HttpStatusCode.RequestTimeout;
                    return Outcome.Failed(WeComException.FromTransport(path, $"HTTP {status} {response.ReasonPhrase}", transient, WeComErrorKind.Connection));
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Outcome.Failed(WeComException.FromTransport(path, $"no answer within {Retry.AttemptTimeout.TotalSeconds:0} s", transient: true, WeComErrorKind.Connection));
            }
            catch (HttpRequestException ex)
            {
                // The inner exception is dropped on purpose: its text may quote the request URI.
                return Outcome.Failed(WeComException.FromTransport(path, Redact(ex.Message), transient: true, WeComErrorKind.Connection));
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(text);
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Outcome.Failed(WeComException.FromTransport(path, "the answer is not valid JSON", transient: true, WeComErrorKind.InvalidResponse));
            }

            var code = root.Int("errcode") ?? 0;
            WeComLog.Debug($"{method} {shown} -> errcode {code} in {watch.ElapsedMilliseconds} ms");
            return code == 0 ? Outcome.Ok(root) : Outcome.Failed(WeComException.FromApi(path, code, Redact(root.Str("errmsg"))));
        }

        private static string Shown(string path, string? query) => string.IsNullOrEmpty(query) ? path : path + "?" + query;

        /// <summary>Removes the secret and any cached token from text that came from elsewhere.</summary>
        internal string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? "";
            }

            var result = text!.Replace(_secret, "***");
            if (_tokens.Peek(_cacheKey) is { } token)
            {
                result = result.Replace(token.Value, "***");
            }

            return result;
        }

        private readonly struct Outcome
        {
            private Outcome(JsonElement value, WeComException? error)
            {
                Value = value;
                Error = error;
            }

            public JsonElement Value { get; }
            public WeComException? Error { get; }

            public static Outcome Ok(JsonElement value) => new Outcome(value, null);

            public static Outcome Failed(WeComException error) => new Outcome(default, error);
        }
    }
}
