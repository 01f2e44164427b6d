using System.Threading;

namespace WeComPS
{
    /// <summary>
    /// Decides, for the items of one command, whether a failure is the item's own or ends the command: one that no
    /// item can escape (<see cref="WeComException.AffectsAllItems"/>), or an endpoint that stopped answering, seen as
    /// <see cref="EndpointGoneAfter"/> items in a row failing in transport after their retries (a single item's
    /// transport failure stays that item's). Once it has ended, no new item starts.
    /// </summary>
    internal sealed class FailurePolicy
    {
        /// <summary>Consecutive items that failed in transport, each after its retries, that mean the endpoint is gone.</summary>
        public const int EndpointGoneAfter = 3;

        private int _transportFailuresInRow;
        private WeComException? _ended;

        /// <summary>The failure that ended the command, or null while it goes on.</summary>
        public WeComException? Ended => Volatile.Read(ref _ended);

        /// <summary>An item succeeded: the endpoint answers.</summary>
        public void Succeeded() => Interlocked.Exchange(ref _transportFailuresInRow, 0);

        /// <summary>True when <paramref name="error"/>, an item's failure, ends the command (and then remembers it).</summary>
        public bool Ends(WeComException error)
        {
            bool ends;
            if (error.AffectsAllItems)
            {
                ends = true;
            }
            else if (error.IsTransportFailure)
            {
                ends = Interlocked.Increment(ref _transportFailuresInRow) >= EndpointGoneAfter;
            }
            else
            {
                Succeeded();
                ends = false;
            }

            if (ends)
            {
                Interlocked.CompareExchange(ref _ended, error, null);
            }

            return ends;
        }
    }
}
