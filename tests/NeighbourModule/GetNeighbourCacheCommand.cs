using System.Management.Automation;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;

namespace NeighbourModule
{
    /// <summary>Caches a value with its own Microsoft.Extensions.Caching.Memory, round-trips it through its own System.Text.Json, and says which versions did it.</summary>
    [Cmdlet(VerbsCommon.Get, "NeighbourCache")]
    public sealed class GetNeighbourCacheCommand : PSCmdlet
    {
        protected override void EndProcessing()
        {
            using var cache = new MemoryCache(new MemoryCacheOptions());
            cache.Set("greeting", new Greeting { Text = "hello" });
            var text = JsonSerializer.Serialize(cache.Get<Greeting>("greeting"));
            var result = new PSObject();
            result.Properties.Add(new PSNoteProperty("Value", JsonSerializer.Deserialize<Greeting>(text)!.Text));
            result.Properties.Add(new PSNoteProperty("CacheVersion", typeof(MemoryCache).Assembly.GetName().Version!.ToString()));
            result.Properties.Add(new PSNoteProperty("CachePath", typeof(MemoryCache).Assembly.Location));
            result.Properties.Add(new PSNoteProperty("JsonVersion", typeof(JsonSerializer).Assembly.GetName().Version!.ToString()));
            result.Properties.Add(new PSNoteProperty("JsonPath", typeof(JsonSerializer).Assembly.Location));
            WriteObject(result);
        }

        private sealed class Greeting
        {
            public string Text { get; set; } = "";
        }
    }
}
