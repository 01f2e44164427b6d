using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace WeComPS.Commands
{
    /// <summary>
    /// Loads the module's third-party DLLs from its dependencies/ folder when the runtime cannot bind them.
    /// On PowerShell 7 they go into the module's own AssemblyLoadContext, so another module's (or PowerShell's own)
    /// versions neither break WeComPS nor are broken by it; on Windows PowerShell 5.1 they load by path, which
    /// also stands in for the binding redirects .NET Framework would otherwise need. It answers only for a DLL the
    /// module ships, asked for by one of the module's own assemblies, at the version shipped or an older one: any
    /// other request is left to PowerShell and the other modules.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        private static readonly string DependencyFolder = Path.Combine(ModuleFolder, "dependencies");

        private static readonly Lazy<Func<string, Assembly>?> IsolatedLoad = new Lazy<Func<string, Assembly>?>(CreateLoadContext);
        private static readonly ConcurrentDictionary<string, Assembly> Loaded = new ConcurrentDictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        public void OnRemove(PSModuleInfo module) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var wanted = new AssemblyName(args.Name);
            var path = Path.Combine(DependencyFolder, wanted.Name + ".dll");
            if (!IsOwn(args.RequestingAssembly) || !File.Exists(path))
            {
                return null;
            }

            if (wanted.Version != null && AssemblyName.GetAssemblyName(path).Version < wanted.Version)
            {
                return null;
            }

            return Loaded.GetOrAdd(wanted.Name!, _ => IsolatedLoad.Value is { } load ? load(path) : Assembly.LoadFrom(path));
        }

        /// <summary>The module's assemblies: those in its folder, and the dependencies loaded from it.</summary>
        private static bool IsOwn(Assembly? requesting)
        {
            if (requesting is null || requesting.IsDynamic)
            {
                return false;
            }

            var folder = Path.GetDirectoryName(requesting.Location);
            return string.Equals(folder, ModuleFolder, StringComparison.OrdinalIgnoreCase) || string.Equals(folder, DependencyFolder, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>On .NET (PowerShell 7) a private AssemblyLoadContext, found by reflection from netstandard2.0; null on .NET Framework.</summary>
        private static Func<string, Assembly>? CreateLoadContext()
        {
            var type = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
            if (type is null)
            {
                return null;
            }

            var context = type.GetConstructor(new[] { typeof(string), typeof(bool) })!.Invoke(new object[] { "WeComPS", false });
            var loadFromPath = type.GetMethods().Single(m => m.Name == "LoadFromAssemblyPath" && m.GetParameters().Length == 1);
            return path => (Assembly)loadFromPath.Invoke(context, new object[] { path })!;
        }
    }
}
