using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
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
            ReadDetails = call => call(this);
        }

        public RetryPolicy Retry { get; }

        /// <summary>
        /// Runs a read of names and details (user/get, department/get, department/list) with a secret that may make it:
        /// the connection sends it to its app secret once WeCom refuses this one (48009); alone, this client makes it.
        /// </summary>
        internal Func<Func<WeComClient, Task<JsonElement>>, Task<JsonElement>> ReadDetails { get; set; }

        public DateTimeOffset? TokenExpiresOn => _tokens.Peek(_cacheKey)?.ExpiresOn;

        public void ForgetToken() => _tokens.Remove(_cacheKey);

        /// <summary>A GET; <paramref name="existed"/> says the caller saw the item of a delete before the first attempt.</summary>
        public Task<JsonElement> GetAsync(string path, string? query, CancellationToken cancellationToken, bool existed = false) =>
            SendAsync(HttpMethod.Get, path, query, null, null, Deliveries.Of(HttpMethod.Get, path), existed, cancellationToken);

        public Task<JsonElement> PostAsync(string path, object body, CancellationToken cancellationToken, bool existed = false)
        {
            var json = JsonSerializer.Serialize(body);
            return SendAsync(HttpMethod.Post, path, null, json, Json(json), Deliveries.Of(HttpMethod.Post, path), existed, cancellationToken);
        }

        /// <summary>Gets the app's token, fetching it once if no valid one is cached.</summary>
        public Task<AccessToken> GetTokenAsync(CancellationToken cancellationToken) =>
            _tokens.GetAsync(_cacheKey, FetchTokenAsync, cancellationToken);

        public Task<JsonElement> CallAsync(HttpMethod method, string path, string? query, string? body, CancellationToken cancellationToken, Delivery? delivery = null) =>
            SendAsync(method, path, query, body, body is null ? null : Json(body), delivery ?? Deliveries.Of(method, path), false, cancellationToken);

        /// <summary>Uploads <paramref name="content"/> as the multipart file field <c>media</c> (media/upload), with the token, refresh and retries of every call.</summary>
        public Task<JsonElement> UploadAsync(string path, string query, string fileName, byte[] content, CancellationToken cancellationToken) =>
            SendAsync(HttpMethod.Post, path, query, null, () => Multipart.File("media", fileName, content), Deliveries.Of(HttpMethod.Post, path), false, cancellationToken);

        private static Func<HttpContent> Json(string body) => () => new StringContent(body, Encoding.UTF8, "application/json");

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

                if (!error.IsTransient || Retry.IsSpent(attempt, error))
                {
                    throw error;
                }

                await WaitToRetryAsync(error, shown, attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// Sends one call (<paramref name="content"/> makes each attempt's body; <paramref name="json"/> is it as JSON, if
        /// it is) with the app's token, refreshing a refused token and retrying transient failures within the retry
        /// budget, as its <paramref name="delivery"/> class allows. A failure that proves nothing was sent is retried for
        /// every class. Once an attempt may have been applied although its answer was lost (no answer, a broken one, HTTP
        /// 5xx, -1): an unsafe call is never sent again and ends as outcome unknown; a later refusal of a confirmable one
        /// is checked by <see cref="ExactlyOnce"/> against what WeCom holds (a delete only when the item
        /// <paramref name="existed"/> before, or is found before the first attempt); and retries that run out leave it
        /// unknown, never "failed". A 45009 block closes the API's window in the rate limiter.
        /// </summary>
        private async Task<JsonElement> SendAsync(
            HttpMethod method, string path, string? query, string? json, Func<HttpContent>? content, Delivery delivery, bool existed, CancellationToken cancellationToken)
        {
            var refreshed = false;
            var answerLost = false;
            bool? found = existed ? true : null;
            if (delivery == Delivery.Confirmable && !existed && ExactlyOnce.IsDelete(path))
            {
                found = await ExactlyOnce.ExistsAsync(this, path, query, json, cancellationToken).ConfigureAwait(false);
            }

            for (var attempt = 1; ; attempt++)
            {
                var token = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
                var query2 = "access_token=" + Uri.EscapeDataString(token.Value) + (string.IsNullOrEmpty(query) ? "" : "&" + query);
                var outcome = await SendOnceAsync(method, path, query2, Shown(path, query), content, cancellationToken).ConfigureAwait(false);
                if (outcome.Error is not { } error)
                {
                    return outcome.Value;
                }

                if (error.OutcomeUnknown && delivery == Delivery.Unsafe)
                {
                    throw WeComException.WriteOutcomeUnknown(
                        path,
                        Msg.Get("LostNotResent", error.Message.TrimEnd('.', '。')),
                        ExactlyOnce.HowToCheck(path),
                        error);
                }

                answerLost |= error.OutcomeUnknown && delivery != Delivery.Read;
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
                else if (error.ErrCode == RateLimiter.BlockedCode)
                {
                    // Not applied: the next attempt waits in the limiter until WeCom lifts the block, or ends the command.
                    _limiter.Block(LimiterKey(path));
                    attempt--;
                    continue;
                }
                else if (!error.IsTransient)
                {
                    if (answerLost && await ExactlyOnce.ConfirmAsync(this, path, query, json, found, error, cancellationToken).ConfigureAwait(false) is { } done)
                    {
                        return done;
                    }

                    throw error;
                }

                if (Retry.IsSpent(attempt, error))
                {
                    throw answerLost
                        ? WeComException.WriteOutcomeUnknown(path, Msg.Get("LostRetriesSpent", error.Message.TrimEnd('.', '。')), ExactlyOnce.HowToCheck(path), error)
                        : error;
                }

                await WaitToRetryAsync(error, path, attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Fetches a token within one retry budget; its failure ends the command, since no call can go without a token.</summary>
        private async Task<AccessToken> FetchTokenAsync(CancellationToken cancellationToken)
        {
            try
            {
                return await FetchTokenOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (WeComException ex)
            {
                var failure = ex.About(Msg.Get("NoAccessToken"));
                failure.EndsCommand = true;
                throw failure;
            }
        }

        private async Task<AccessToken> FetchTokenOnceAsync(CancellationToken cancellationToken)
        {
            var query = "corpid=" + Uri.EscapeDataString(_corpId) + "&corpsecret=" + Uri.EscapeDataString(_secret);
            var shown = Shown(TokenPath, "corpid=" + Uri.EscapeDataString(_corpId) + "&corpsecret=***");
            for (var attempt = 1; ; attempt++)
            {
                var outcome = await SendOnceAsync(HttpMethod.Get, TokenPath, query, shown, null, cancellationToken).ConfigureAwait(false);
                if (outcome.Error is { } error)
                {
                    if (!error.IsTransient || Retry.IsSpent(attempt, error))
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

        /// <summary>Waits out the backoff after failed attempt <paramref name="attempt"/>.</summary>
        private async Task WaitToRetryAsync(WeComException error, string path, int attempt, CancellationToken cancellationToken)
        {
            var delay = Retry.DelayAfter(attempt);
            WeComLog.Verbose($"{path} failed ({error.ErrCode?.ToString(CultureInfo.InvariantCulture) ?? error.ErrorId}); retry {attempt} of {Retry.MaxAttempts - 1} in {delay.TotalMilliseconds:0} ms.");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        private async Task<Outcome> SendOnceAsync(HttpMethod method, string path, string query, string shown, Func<HttpContent>? content, CancellationToken cancellationToken)
        {
            // Waiting for the rate limit is not part of the attempt's time.
            await _limiter.WaitAsync(LimiterKey(path), Retry.MaxBlockWait, cancellationToken).ConfigureAwait(false);
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
                return (null, Lost(WeComException.FromTransport(apiPath, Msg.Get("NoAnswerWithin", Retry.AttemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)), transient: true, WeComErrorKind.Connection), true));
            }
            catch (HttpRequestException ex) when (TlsReason(ex) is { } reason)
            {
                return (null, Lost(WeComException.TlsFailure(apiPath, uri.Authority, Redact(reason)), false));
            }
            catch (HttpRequestException ex)
            {
                // The inner exception is dropped on purpose: its text may quote the request URI.
                return (null, Lost(WeComException.FromTransport(apiPath, Redact(uri.Query.Length > 0 ? ex.Message.Replace(uri.Query, "") : ex.Message), transient: true, WeComErrorKind.Connection), !NeverSent(ex)));
            }
        }

        /// <summary>
        /// True when the failure proves the request never left: the connection was refused, the name did not resolve,
        /// the TLS handshake failed. Anything else (a reset, a timeout) may have come after WeCom got the request.
        /// </summary>
        internal static bool NeverSent(Exception failure)
        {
            for (var e = failure; e != null; e = e.InnerException)
            {
                switch (e)
                {
                    case SocketException socket when socket.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound
                        or SocketError.NoData or SocketError.TryAgain or SocketError.HostUnreachable or SocketError.NetworkUnreachable:
                    case AuthenticationException:
                    case WebException web when web.Status is WebExceptionStatus.ConnectFailure or WebExceptionStatus.NameResolutionFailure
                        or WebExceptionStatus.ProxyNameResolutionFailure or WebExceptionStatus.SecureChannelFailure or WebExceptionStatus.TrustFailure:
                        return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Why the TLS handshake failed (the certificate's name or chain, a TLS alert), from the exceptions inside
        /// <paramref name="failure"/>; null when it is no TLS failure. The texts name no URI, only the problem.
        /// </summary>
        internal static string? TlsReason(Exception failure)
        {
            for (var e = failure; e != null; e = e.InnerException)
            {
                if (e is AuthenticationException || e is WebException { Status: WebExceptionStatus.SecureChannelFailure or WebExceptionStatus.TrustFailure })
                {
                    var reasons = new List<string>();
                    for (var r = e; r != null; r = r.InnerException)
                    {
                        var text = r.Message.Trim();
                        if (text.Length > 0 && !text.EndsWith("see inner exception.", StringComparison.OrdinalIgnoreCase) && !reasons.Contains(text))
                        {
                            reasons.Add(text.TrimEnd('.'));
                        }
                    }

                    return reasons.Count > 0 ? string.Join(": ", reasons) : e.GetType().Name;
                }
            }

            return null;
        }

        /// <summary>Marks whether a failed attempt may have been applied although its answer was lost.</summary>
        private static WeComException Lost(WeComException error, bool outcomeUnknown)
        {
            error.OutcomeUnknown = outcomeUnknown;
            return error;
        }

        private string LimiterKey(string path) => _baseUri.AbsoluteUri + "|" + _corpId + "|" + path;

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
