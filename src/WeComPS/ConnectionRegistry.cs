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

        private static Session ThisSession => Sessions.GetValue(Runspace.DefaultRunspace, _ => new Session());

        /// <summary>Registers <paramref name="connection"/> under its name (replacing one of the same name) and makes it current.</summary>
        public static void Add(WeComConnection connection)
        {
            var session = ThisSession;
            lock (session)
            {
                session.Named[connection.Name] = connection;
                session.Current = connection;
            }
        }

        public static WeComConnection? Find(string name)
        {
            var session = ThisSession;
            lock (session)
            {
                return session.Named.TryGetValue(name, out var connection) ? connection : null;
            }
        }

        /// <summary>Forgets <paramref name="connection"/>; if it was current, no connection is current.</summary>
        public static bool Remove(WeComConnection connection)
        {
            var session = ThisSession;
            lock (session)
            {
                if (ReferenceEquals(session.Current, connection))
                {
                    session.Current = null;
                }

                return session.Named.TryGetValue(connection.Name, out var registered) && ReferenceEquals(registered, connection) && session.Named.Remove(connection.Name);
            }
        }

        private sealed class Session
        {
            public Dictionary<string, WeComConnection> Named { get; } = new Dictionary<string, WeComConnection>(StringComparer.OrdinalIgnoreCase);
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
