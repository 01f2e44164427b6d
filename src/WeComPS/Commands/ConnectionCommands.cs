using System.Linq;
using System.Management.Automation;

namespace WeComPS.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the WeCom connections of this session.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "WeComConnection", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(WeComConnection))]
    public sealed class GetWeComConnectionCommand : PSCmdlet
    {
        private const string NameSet = "Name";
        private const string CurrentSet = "Current";

        /// <summary><para type="description">Only connections whose name matches; wildcards are allowed.</para></summary>
        [Parameter(Position = 0, ParameterSetName = NameSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ConnectionNameCompleter))]
        public string Name { get; set; } = "*";

        /// <summary><para type="description">Only the current connection, which cmdlets use when -Connection is not given.</para></summary>
        [Parameter(Mandatory = true, ParameterSetName = CurrentSet)]
        public SwitchParameter Current { get; set; }

        protected override void EndProcessing()
        {
            if (Current)
            {
                if (ConnectionRegistry.Current is { } current)
                {
                    WriteObject(ConnectionRegistry.Marked(current));
                }

                return;
            }

            var pattern = new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            WriteObject(ConnectionRegistry.All.Where(c => pattern.IsMatch(c.Name)).Select(ConnectionRegistry.Marked), enumerateCollection: true);
        }
    }

    /// <summary>
    /// <para type="synopsis">Forgets a WeCom connection and its cached access token.</para>
    /// </summary>
    [Cmdlet(VerbsCommunications.Disconnect, "WeCom")]
    [OutputType(typeof(void))]
    public sealed class DisconnectWeComCommand : WeComCmdlet
    {
        /// <summary><para type="description">The names of the connections to forget; by default the current one (or -Connection).</para></summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ConnectionNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            if (Name is null)
            {
                Disconnect(ResolveConnection());
                return;
            }

            foreach (var name in Name)
            {
                if (ConnectionRegistry.Find(name) is { } connection)
                {
                    Disconnect(connection);
                }
                else
                {
                    WriteError(new ErrorRecord(
                        new ItemNotFoundException(Msg.Get("ConnectionNotFound", name)), "ConnectionNotFound", ErrorCategory.ObjectNotFound, name));
                }
            }
        }

        private void Disconnect(WeComConnection connection)
        {
            connection.ForgetToken();
            var (removed, wasCurrent) = ConnectionRegistry.Remove(connection);
            if (!removed)
            {
                WriteVerbose($"{connection} was not registered in this session.");
            }

            if (wasCurrent)
            {
                Say(ConnectionRegistry.Current is { } current
                    ? Msg.Get("CurrentConnectionNow", current.Name, current.CorpId)
                    : Msg.Get("NoCurrentConnection"));
            }
        }
    }
}
