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

        public Task<JsonElement> CallAsync(HttpMethod method, string path, string? query, string? body, CancellationToken cancellationToken) =>
            SendAsync(method, path, query, body is null ? null : () => new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);

        /// <summary>Uploads <paramref name="content"/> as the multipart file field <c>media</c> (media/upload), with the token, refresh and retries of every call.</summary>
        public Task<JsonElement> UploadAsync(string path, string query, string fileName, byte[] content, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Post, path, query, () => Multipart.File("media", fileName, content), cancellationToken);

        /// <summary>
        /// Downloads <paramref name="url"/> (an export file: https, or http on loopback) with the retries of every call
        /// and no access token. <paramref name="check"/> answers why the bytes are wrong (size, md5), which is retried
        /// like a transient failure. Messages name the file as <paramref name="shown"/>, never the URL and its signature.
        /// </summary>
        public async Task<byte[]> DownloadAsync(Uri url, string shown, Func<byte[], string?> check, CancellationToken cancellationToken)
        {
            if (!WeComConnection.IsSecure(url))
            {
                throw WeComException.FromTransport(shown, $"the download URL is not https (plain http is allowed only on loopback); refused {url.Scheme}://{url.Host}", transient: false, WeComErrorKind.InvalidResponse);
            }

            for (var attempt = 1; ; attempt++)
            {
                var (bytes, error) = await ExchangeAsync(HttpMethod.Get, url, null, shown, shown, cancellationToken).ConfigureAwait(false);
                if (error is null && check(bytes!) is { } wrong)
                {
                    error = WeComException.FromTransport(shown, wrong, transient: true, WeComErrorKind.InvalidResponse);
                }

                if (!await ShouldRetryAsync(error, shown, attempt, cancellationToken).ConfigureAwait(false))
                {
                    return bytes!;
                }
            }
        }

        private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? query, Func<HttpContent>? body, CancellationToken cancellationToken)
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

                if (await ShouldRetryAsync(outcome.Error, path, attempt, cancellationToken).ConfigureAwait(false))
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
                if (await ShouldRetryAsync(outcome.Error, TokenPath, attempt, cancellationToken).ConfigureAwait(false))
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
        private async Task<bool> ShouldRetryAsync(WeComException? error, string path, int attempt, CancellationToken cancellationToken)
        {
            if (error is null)
            {
                return false;
            }

            if (!error.IsTransient || attempt >= Retry.MaxAttempts)
            {
                throw error;
            }

            var delay = Retry.DelayAfter(attempt);
            WeComLog.Verbose($"{path} failed ({error.ErrCode?.ToString() ?? error.ErrorId}); retry {attempt} of {Retry.MaxAttempts - 1} in {delay.TotalMilliseconds:0} ms.");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            return true;
        }

        private async Task<Outcome> SendOnceAsync(HttpMethod method, string path, string query, string shown, Func<HttpContent>? body, CancellationToken cancellationToken)
        {
            var watch = Stopwatch.StartNew();
            var (bytes, failure) = await ExchangeAsync(method, new Uri(_baseUri, path + "?" + query), body, path, shown, cancellationToken).ConfigureAwait(false);
            if (failure != null)
            {
                return Outcome.Failed(failure);
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(bytes);
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

        /// <summary>One HTTP exchange within the attempt timeout: the answer's bytes, or the failure (transient for timeouts, resets and HTTP 5xx/429/408).</summary>
        private async Task<(byte[]? Body, WeComException? Error)> ExchangeAsync(HttpMethod method, Uri uri, Func<HttpContent>? body, string apiPath, string shown, CancellationToken cancellationToken)
        {
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptCts.CancelAfter(Retry.AttemptTimeout);
            using var request = new HttpRequestMessage(method, uri);
            request.Content = body?.Invoke();
            WeComLog.Debug($"{method} {shown}");
            try
            {
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptCts.Token).ConfigureAwait(false);
                var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var status = (int)response.StatusCode;
                    var transient = status >= 500 || response.StatusCode == (HttpStatusCode)429 || response.StatusCode == HttpStatusCode.RequestTimeout;
                    return (null, WeComException.FromTransport(apiPath, $"HTTP {status} {response.ReasonPhrase}", transient, WeComErrorKind.Connection));
                }

                return (bytes, null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, WeComException.FromTransport(apiPath, $"no answer within {Retry.AttemptTimeout.TotalSeconds:0} s", transient: true, WeComErrorKind.Connection));
            }
            catch (HttpRequestException ex)
            {
                // The inner exception is dropped on purpose: its text may quote the request URI.
                return (null, WeComException.FromTransport(apiPath, Redact(uri.Query.Length > 0 ? ex.Message.Replace(uri.Query, "") : ex.Message), transient: true, WeComErrorKind.Connection));
            }
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
