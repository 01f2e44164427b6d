using System;
using System.Diagnostics;
using System.Globalization;
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
        private readonly RateLimiter _limiter;

        public WeComClient(HttpClient http, Uri baseUri, string corpId, string secret, string secretFingerprint, AccessTokenCache tokens, RetryPolicy retry, RateLimiter limiter)
        {
            _http = http;
            _baseUri = baseUri;
            _corpId = corpId;
            _secret = secret;
            _tokens = tokens;
            _limiter = limiter;
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
            SendAsync(method, path, query, body, body is null ? null : () => new StringContent(body, Encoding.UTF8, "application/json"), cancellationToken);

        /// <summary>Uploads <paramref name="content"/> as the multipart file field <c>media</c> (media/upload), with the token, refresh and retries of every call.</summary>
        public Task<JsonElement> UploadAsync(string path, string query, string fileName, byte[] content, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Post, path, query, null, () => Multipart.File("media", fileName, content), cancellationToken);

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

                if (error is null)
                {
                    return bytes!;
                }

                if (!error.IsTransient)
                {
                    throw error;
                }

                await WaitToRetryAsync(error, shown, attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Sends one call (<paramref name="content"/> makes each attempt's body; <paramref name="json"/> is it as JSON, if it is) with the app's token, refreshing a refused token and retrying transient failures within the
        /// retry budget. When an attempt may have been applied although its answer was lost (no answer, a broken one,
        /// HTTP 5xx, -1) and a later attempt is refused because the change is already there (e.g. 60102 for a member
        /// the lost attempt created), <see cref="ExactlyOnce"/> checks that it is and the call counts as done: a write
        /// is applied once and reported once, without a spurious error.
        /// </summary>
        private async Task<JsonElement> SendAsync(HttpMethod method, string path, string? query, string? json, Func<HttpContent>? content, CancellationToken cancellationToken)
        {
            var refreshed = false;
            var answerLost = false;
            for (var attempt = 1; ; attempt++)
            {
                var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
                var query2 = "access_token=" + Uri.EscapeDataString(token.Value) + (string.IsNullOrEmpty(query) ? "" : "&" + query);
                var outcome = await SendOnceAsync(method, path, query2, Shown(path, query), content, cancellationToken).ConfigureAwait(false);
                if (outcome.Error is not { } error)
                {
                    return outcome.Value;
                }

                answerLost |= error.OutcomeUnknown;
                if (error.ErrCode is { } code && WeComErrorCatalog.IsTokenRejected(code))
                {
                    // WeCom may revoke a token early: fetch a new one and resend. The first refusal costs no attempt; a
                    // token refused again counts against the retry budget, so a refusal that persists ends the call.
                    WeComLog.Verbose($"WeCom refused the access token ({code}) on {path}; fetching a new one.");
                    await _tokens.InvalidateAsync(_cacheKey, token, cancellationToken).ConfigureAwait(false);
                    if (!refreshed)
                    {
                        refreshed = true;
                        attempt--;
                        continue;
                    }
                }
                else if (!error.IsTransient)
                {
                    if (answerLost && await ExactlyOnce.ConfirmAsync(this, path, query, json, error, cancellationToken).ConfigureAwait(false) is { } done)
                    {
                        return done;
                    }

                    throw error;
                }

                await WaitToRetryAsync(error, path, attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<AccessToken> FetchTokenAsync(CancellationToken cancellationToken)
        {
            var query = "corpid=" + Uri.EscapeDataString(_corpId) + "&corpsecret=" + Uri.EscapeDataString(_secret);
            var shown = Shown(TokenPath, "corpid=" + Uri.EscapeDataString(_corpId) + "&corpsecret=***");
            for (var attempt = 1; ; attempt++)
            {
                var outcome = await SendOnceAsync(HttpMethod.Get, TokenPath, query, shown, null, cancellationToken).ConfigureAwait(false);
                if (outcome.Error is { } error)
                {
                    if (!error.IsTransient)
                    {
                        throw error;
                    }

                    await WaitToRetryAsync(error, TokenPath, attempt, cancellationToken).ConfigureAwait(false);
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

        /// <summary>Throws <paramref name="error"/> when attempt <paramref name="attempt"/> was the last, else waits out the backoff.</summary>
        private async Task WaitToRetryAsync(WeComException error, string path, int attempt, CancellationToken cancellationToken)
        {
            if (attempt >= Retry.MaxAttempts)
            {
                throw error;
            }

            var delay = Retry.DelayAfter(attempt);
            WeComLog.Verbose($"{path} failed ({error.ErrCode?.ToString(CultureInfo.InvariantCulture) ?? error.ErrorId}); retry {attempt} of {Retry.MaxAttempts - 1} in {delay.TotalMilliseconds:0} ms.");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        private async Task<Outcome> SendOnceAsync(HttpMethod method, string path, string query, string shown, Func<HttpContent>? content, CancellationToken cancellationToken)
        {
            // Waiting for the rate limit is not part of the attempt's time.
            await _limiter.WaitAsync(_baseUri.AbsoluteUri + "|" + _corpId + "|" + path, cancellationToken).ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            var (answer, failure) = await ExchangeAsync(method, new Uri(_baseUri, path + "?" + query), content, path, shown, cancellationToken).ConfigureAwait(false);
            if (failure != null)
            {
                return Outcome.Failed(failure, failure.OutcomeUnknown);
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(answer);
                root = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                return Outcome.Failed(WeComException.FromTransport(path, "the answer is not valid JSON", transient: true, WeComErrorKind.InvalidResponse), outcomeUnknown: true);
            }

            var code = root.Int("errcode") ?? 0;
            WeComLog.Debug($"{method} {shown} -> errcode {code} in {watch.ElapsedMilliseconds} ms");
            // -1 (system busy) does not say whether the call was applied.
            return code == 0 ? Outcome.Ok(root) : Outcome.Failed(WeComException.FromApi(path, code, Redact(root.Str("errmsg"))), outcomeUnknown: code == -1);
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
                    // 5xx: a gateway may have passed the call on before failing, so it may have been applied.
                    return (null, Lost(WeComException.FromTransport(apiPath, $"HTTP {status} {response.ReasonPhrase}", transient, WeComErrorKind.Connection), status >= 500));
                }

                return (bytes, null);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, Lost(WeComException.FromTransport(apiPath, $"no answer within {Retry.AttemptTimeout.TotalSeconds:0.###} s", transient: true, WeComErrorKind.Connection), true));
            }
            catch (HttpRequestException ex)
            {
                // The inner exception is dropped on purpose: its text may quote the request URI.
                return (null, Lost(WeComException.FromTransport(apiPath, Redact(uri.Query.Length > 0 ? ex.Message.Replace(uri.Query, "") : ex.Message), transient: true, WeComErrorKind.Connection), true));
            }
        }

        /// <summary>Marks whether a failed attempt may have been applied although its answer was lost.</summary>
        private static WeComException Lost(WeComException error, bool outcomeUnknown)
        {
            error.OutcomeUnknown = outcomeUnknown;
            return error;
        }

        private static string Shown(string path, string? query) => string.IsNullOrEmpty(query) ? path : path + "?" + query;

        private const int MinRedactedLength = 6;

        private static readonly System.Text.RegularExpressions.Regex CredentialInQuery =
            new System.Text.RegularExpressions.Regex(@"\b(corpsecret|access_token)=[^&\s""']*", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>Removes the secret and any cached token from text that came from elsewhere.</summary>
        internal string Redact(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return text ?? "";
            }

            // Credentials in a query are hidden by name; the secret and the token wherever they appear, unless so short
            // that hiding them would garble ordinary text (a secret of 2 letters is also part of qyapi.weixin.qq.com).
            var result = CredentialInQuery.Replace(text!, m => m.Groups[1].Value + "=***");
            foreach (var credential in new[] { _secret, _tokens.Peek(_cacheKey)?.Value })
            {
                if (credential != null && credential.Length >= MinRedactedLength)
                {
                    result = result.Replace(credential, "***");
                }
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

            /// <summary>A failed attempt; <paramref name="outcomeUnknown"/> when it may have been applied all the same.</summary>
            public static Outcome Failed(WeComException error, bool outcomeUnknown = false) => new Outcome(default, Lost(error, outcomeUnknown));
        }
    }
}
