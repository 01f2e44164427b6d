using System;
using System.Threading;

namespace WeComPS
{
    /// <summary>
    /// Where the client's verbose and debug messages go. A cmdlet listens for the length of its work; the
    /// listener flows with the async calls (AsyncLocal), so parallel commands never see each other's messages.
    /// Messages never contain a secret or an access_token.
    /// </summary>
    internal static class WeComLog
    {
        private static readonly AsyncLocal<IWeComLogListener?> Current = new AsyncLocal<IWeComLogListener?>();

        /// <summary>Routes messages from the calling async flow to <paramref name="listener"/> until disposed.</summary>
        public static IDisposable Listen(IWeComLogListener listener)
        {
            var previous = Current.Value;
            Current.Value = listener;
            return new Restore(previous);
        }

        internal static void Verbose(string message) => Current.Value?.Verbose(message);

        internal static void Debug(string message) => Current.Value?.Debug(message);

        /// <summary>Something the admin should know about a result that is still returned (e.g. a read that lacks fields).</summary>
        internal static void Warning(string message) => Current.Value?.Warning(message);

        private sealed class Restore : IDisposable
        {
            private readonly IWeComLogListener? _previous;

            public Restore(IWeComLogListener? previous) => _previous = previous;

            public void Dispose() => Current.Value = _previous;
        }
    }

    /// <summary>Receives the client's diagnostic messages.</summary>
    internal interface IWeComLogListener
    {
        void Verbose(string message);

        void Debug(string message);

        void Warning(string message);
    }
}
