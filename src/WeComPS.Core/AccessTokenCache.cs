using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Caching.Memory;

namespace WeComPS
{
    internal sealed class AccessToken
    {
        public AccessToken(string value, DateTimeOffset expiresOn)
        {
            Value = value;
            ExpiresOn = expiresOn;
        }

        public string Value { get; }
        public DateTimeOffset ExpiresOn { get; }

        public override string ToString() => "AccessToken(expires " + ExpiresOn.ToString("u") + ")";
    }

    /// <summary>
    /// Process-wide access tokens, one per app (key: endpoint, corp id and a fingerprint of the secret), shared by
    /// every runspace. One fetch in flight per key, whose outcome every caller waiting for it shares; a failed fetch is
    /// remembered for <see cref="FailureMemory"/>, so callers that come meanwhile get that failure rather than a retry
    /// budget of their own (a token outage costs one budget, not one per item). A refresh only replaces the token that
    /// was refused, so a late 42001 cannot wipe a token another caller just got.
    /// </summary>
    internal sealed class AccessTokenCache : IDisposable
    {
        public static readonly AccessTokenCache Shared = new AccessTokenCache();

        private readonly MemoryCache _cache = new MemoryCache(new MemoryCacheOptions());
        private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new ConcurrentDictionary<string, SemaphoreSlim>();
        private readonly ConcurrentDictionary<string, (WeComException Error, DateTimeOffset Until)> _failures = new ConcurrentDictionary<string, (WeComException, DateTimeOffset)>();

        /// <summary>How long a failed fetch answers for the key before another fetch is tried.</summary>
        public static readonly TimeSpan FailureMemory = TimeSpan.FromSeconds(30);

        /// <summary>The cached token, without fetching.</summary>
        public AccessToken? Peek(string key) => _cache.TryGetValue(key, out AccessToken? token) ? token : null;

        public async Task<AccessToken> GetAsync(string key, Func<CancellationToken, Task<AccessToken>> fetch, CancellationToken cancellationToken)
        {
            if (Peek(key) is { } cached)
            {
                return cached;
            }

            ThrowIfFailedRecently(key);
            var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (Peek(key) is { } fetchedMeanwhile)
                {
                    return fetchedMeanwhile;
                }

                ThrowIfFailedRecently(key);
                AccessToken token;
                try
                {
                    token = await fetch(cancellationToken).ConfigureAwait(false);
                }
                catch (WeComException ex)
                {
                    _failures[key] = (ex, DateTimeOffset.UtcNow + FailureMemory);
                    throw;
                }

                _failures.TryRemove(key, out _);
                _cache.Set(key, token, RefreshAt(token));
                return token;
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>Drops the token <paramref name="refused"/> if it is still the cached one.</summary>
        public async Task InvalidateAsync(string key, AccessToken refused, CancellationToken cancellationToken)
        {
            var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (ReferenceEquals(Peek(key), refused))
                {
                    _cache.Remove(key);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>Forgets the token and any remembered failure of <paramref name="key"/>.</summary>
        public void Remove(string key)
        {
            _cache.Remove(key);
            _failures.TryRemove(key, out _);
        }

        private void ThrowIfFailedRecently(string key)
        {
            if (_failures.TryGetValue(key, out var failure) && failure.Until > DateTimeOffset.UtcNow)
            {
                throw failure.Error.Copy();
            }
        }

        public void Dispose() => _cache.Dispose();

        /// <summary>Tokens are renewed a little before WeCom's expiry: 5 minutes, or a tenth of short lifetimes.</summary>
        private static DateTimeOffset RefreshAt(AccessToken token)
        {
            var lifetime = token.ExpiresOn - DateTimeOffset.UtcNow;
            var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, Math.Max(0, lifetime.Ticks / 10)));
            return token.ExpiresOn - margin;
        }
    }
}
