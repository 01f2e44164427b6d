using System;
using System.Threading;
using System.Threading.Tasks;

namespace WeComPS
{
    /// <summary>
    /// Which of a connection's secrets a read of names and details goes to. Changes, user/list_id, jobs and tags always
    /// use the connection's secret. Reads of names and details (user/get, user/list, user/simplelist, department/list,
    /// department/get and the exports of members and departments) try it first; once WeCom refuses them to it with
    /// 48009 (a contacts-sync secret used from an IP added after 2022-08-15), the connection remembers that and sends
    /// them to its app secret, or, without one, reports that they cannot be read.
    /// </summary>
    internal sealed class SecretRouting
    {
        /// <summary>The errcode of a contacts-sync secret refused names and details from a new IP.</summary>
        internal const int DetailsForbidden = 48009;

        private readonly WeComClient _secret;
        private readonly WeComClient? _appSecret;
        private int _secretRefused;

        public SecretRouting(WeComClient secret, WeComClient? appSecret)
        {
            _secret = secret;
            _appSecret = appSecret;
        }

        /// <summary>True once WeCom refused names and details to the connection's secret (48009).</summary>
        public bool SecretRefusedDetails => Volatile.Read(ref _secretRefused) == 1;

        public bool HasAppSecret => _appSecret != null;

        /// <summary>
        /// Runs <paramref name="call"/> with the secret that may read names and details, and says which one it was (an
        /// export's result must be read with the secret that started it). Without an app secret, a refusal (48009)
        /// is thrown as it came.
        /// </summary>
        public async Task<(WeComClient Client, T Value)> ReadDetailsAsync<T>(Func<WeComClient, Task<T>> call)
        {
            if (!SecretRefusedDetails || _appSecret is null)
            {
                try
                {
                    return (_secret, await call(_secret).ConfigureAwait(false));
                }
                catch (WeComException error) when (error.ErrCode == DetailsForbidden)
                {
                    if (Interlocked.Exchange(ref _secretRefused, 1) == 0)
                    {
                        WeComLog.Verbose(_appSecret is null
                            ? "WeCom refused names and details to this secret (48009) and the connection has no app secret."
                            : "WeCom refused names and details to this secret (48009): reading them with the connection's app secret from now on.");
                    }

                    if (_appSecret is null)
                    {
                        throw;
                    }
                }
            }

            return (_appSecret, await call(_appSecret).ConfigureAwait(false));
        }
    }
}
