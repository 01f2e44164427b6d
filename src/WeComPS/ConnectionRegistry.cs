using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using WeComPS.Sandbox;

namespace WeComPS.Commands
{
    /// <summary>
    /// The connections of each runspace, by name, and which one is current. Tokens are not kept here: they live
    /// in the process-wide cache, shared by every runspace that uses the same app.
    /// </summary>
    internal static class ConnectionRegistry
    {
        private static readonly ConditionalWeakTable<Runspace, Session> Sessions = new ConditionalWeakTable<Runspace, Session>();
        private static readonly Lazy<WeComSandbox> SharedSandbox = new Lazy<WeComSandbox>(WeComSandbox.CreateSample);

        /// <summary>The endpoint shown for the in-process sandbox; nothing is ever sent to it.</summary>
        public static readonly Uri SandboxUri = new Uri("https://sandbox.wecomps.invalid/cgi-bin/");

        /// <summary>The sample corp behind Connect-WeCom -Sandbox, one per process so every runspace sees the same changes.</summary>
        public static WeComSandbox Sandbox => SharedSandbox.Value;

        public static WeComConnection? Current
        {
            get
            {
                var session = ThisSession;
                lock (session)
                {
                    return session.Current;
                }
            }
        }

        public static IReadOnlyList<WeComConnection> All
        {
            get
            {
                var session = ThisSession;
                lock (session)
                {
                    return session.Named.Values.ToList();
                }
            }
        }

        /// <summary>True when another runspace of the process has a connection: then this one is likely a parallel runspace.</summary>
        public static bool AnyElsewhere
        {
            get
            {
                var mine = ThisSession;
                lock (AllSessions)
                {
                    return AllSessions.Any(w => w.TryGetTarget(out var s) && !ReferenceEquals(s, mine) && s.Current != null);
                }
            }
        }

        private static readonly List<WeakReference<Session>> AllSessions = new List<WeakReference<Session>>();

        private static Session ThisSession => Sessions.GetValue(Runspace.DefaultRunspace, _ => Track(new Session()));

        private static Session Track(Session session)
        {
            lock (AllSessions)
            {
                // Sessions of closed runspaces go with their runspace.
                AllSessions.RemoveAll(w => !w.TryGetTarget(out _));
                AllSessions.Add(new WeakReference<Session>(session));
            }

            return session;
        }

        /// <summary>Registers <paramref name="connection"/> under its name (replacing one of the same name) and makes it current.</summary>
        public static void Add(WeComConnection connection)
        {
            var session = ThisSession;
            lock (session)
            {
                if (session.Named.TryGetValue(connection.Name, out var replaced))
                {
                    session.Order.Remove(replaced);
                }

                session.Named[connection.Name] = connection;
                session.Order.Add(connection);
                session.Current = connection;
            }
        }

        /// <summary>The connection as Get-WeComConnection writes it: with IsCurrent, true for the one cmdlets use by default.</summary>
        public static PSObject Marked(WeComConnection connection)
        {
            var marked = new PSObject(connection);
            marked.Properties.Add(new PSNoteProperty("IsCurrent", ReferenceEquals(Current, connection)));
            return marked;
        }

        public static WeComConnection? Find(string name)
        {
            var session = ThisSession;
            lock (session)
            {
                return session.Named.TryGetValue(name, out var connection) ? connection : null;
            }
        }

        /// <summary>
        /// Forgets <paramref name="connection"/>; if it was current, the latest connected of the others becomes
        /// current (or none is). Answers whether it was registered and whether it was current.
        /// </summary>
        public static (bool Removed, bool WasCurrent) Remove(WeComConnection connection)
        {
            var session = ThisSession;
            lock (session)
            {
                var removed = session.Named.TryGetValue(connection.Name, out var registered) && ReferenceEquals(registered, connection) && session.Named.Remove(connection.Name);
                session.Order.Remove(connection);
                var wasCurrent = ReferenceEquals(session.Current, connection);
                if (wasCurrent)
                {
                    session.Current = session.Order.LastOrDefault();
                }

                return (removed, wasCurrent);
            }
        }

        private sealed class Session
        {
            public Dictionary<string, WeComConnection> Named { get; } = new Dictionary<string, WeComConnection>(StringComparer.OrdinalIgnoreCase);
            /// <summary>The registered connections, oldest first.</summary>
            public List<WeComConnection> Order { get; } = new List<WeComConnection>();
            public WeComConnection? Current { get; set; }
        }
    }

    /// <summary>Lets -Connection take a connection's name as well as the object.</summary>
    internal sealed class ConnectionTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string name)
            {
                return ConnectionRegistry.Find(name)
                    ?? throw new ArgumentTransformationMetadataException($"No WeCom connection named '{name}' in this session. Get-WeComConnection lists them; Connect-WeCom -Name creates one.");
            }

            return value;
        }
    }

    /// <summary>Completes connection names.</summary>
    public sealed class ConnectionNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, System.Collections.IDictionary fakeBoundParameters)
        {
            var pattern = new WildcardPattern((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
            return ConnectionRegistry.All
                .Where(c => pattern.IsMatch(c.Name))
                .Select(c => new CompletionResult(c.Name.Contains(" ") ? $"'{c.Name}'" : c.Name, c.Name, CompletionResultType.ParameterValue, c.ToString()));
        }
    }
}
